// Messages between connection.ts and connection-worker.ts.

/** The request options KubeConfig.applyToHTTPSOptions may fill in that are plain data (agents are not). */
export const REQUEST_OPTION_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername', 'auth'] as const;

export interface ToConnectionWorker {
  id: number;
  headers: Record<string, string>;
}

export type FromConnectionWorker =
  | { type: 'ready'; server: string; context: string; proxy: boolean }
  | { type: 'failed'; message: string }
  | { type: 'applied'; id: number; options: Record<string, unknown>; headers: Record<string, string> }
  | { type: 'apply-failed'; id: number; message: string };
