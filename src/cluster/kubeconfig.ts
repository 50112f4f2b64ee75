// Reading the kubeconfig (--kubeconfig, --context, $KUBECONFIG, ~/.kube/config, in-cluster) with client-node's
// KubeConfig class, which the caller brings: the connection worker imports it statically (its bundle then holds only
// that class, see kubeconfig-class.ts), the main thread's fallback imports the package dynamically (client.ts).
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigOptions {
  /** --kubeconfig; default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  kubeconfig?: string;
  /** --context; default: the kubeconfig's current context. */
  context?: string;
}

/** The kubeconfig of `options`, read by client-node's KubeConfig class (given by the caller, loaded as it suits it). */
export function loadKubeConfigWith(KubeConfigClass: typeof KubeConfig, options: KubeConfigOptions = {}): KubeConfig {
  const kc = new KubeConfigClass();
  if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
  else kc.loadFromDefault();
  if (options.context) {
    if (!kc.getContextObject(options.context)) throw new ClusterError(`context ${JSON.stringify(options.context)} is not in the kubeconfig (have: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) throw new ClusterError('the kubeconfig names no cluster for the current context');
  return kc;
}

export class ClusterError extends Error {}
