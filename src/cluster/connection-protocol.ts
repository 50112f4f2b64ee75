// Messages between connection.ts and connection-worker.ts.

/** The request options KubeConfig.applyToHTTPSOptions may fill in that are plain data (agents are not). */
export const REQUEST_OPTION_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername', 'auth'] as const;

import type { KubeConfigOptions } from './kubeconfig.ts';

/** First which kubeconfig to read (once); then, asked anew, credentials (the ones in use were refused: a 401). */
export type ToConnectionWorker = { type: 'init'; options: KubeConfigOptions } | { type: 'credentials'; id: number };

/** What client-node fills in for a request: plain-data options (TLS material) and the headers it adds (Authorization, Impersonate-*). */
export interface AppliedCredentials {
  options: Record<string, unknown>;
  headers: Record<string, string>;
}

export type FromConnectionWorker =
  | {
      type: 'ready';
      server: string;
      context: string;
      proxy: boolean;
      /** The credentials client-node gave once the kubeconfig was loaded (an exec plugin ran once); absent when that failed. */
      credentials?: AppliedCredentials;
    }
  | { type: 'failed'; message: string }
  | ({ type: 'applied'; id: number } & AppliedCredentials)
  | { type: 'apply-failed'; id: number; message: string };
