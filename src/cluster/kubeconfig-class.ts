// The one thing kubeplan takes from @kubernetes/client-node, imported statically by the connection worker only: its
// bundle (scripts/bundle.mjs) then holds KubeConfig and what it uses (~2 MB, ~50 ms to load) instead of the whole
// package with its generated API (~300 ms over ~1,000 modules). The main thread's fallback (client.ts) imports the
// package dynamically, so the CLI bundle never loads it unless it must.
export { KubeConfig } from '@kubernetes/client-node';
