// Messages between connection.ts and connection-worker.ts.

/** The request options KubeConfig.applyToHTTPSOptions may fill in that are plain data (agents are not). */
export const REQUEST_OPTION_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername', 'auth'] as const;

export interface ToConnectionWorker {
  id: number;
  headers: Record<string, string>;
}

export type FromConnectionWorker =
  | {
      type: 'ready';
      server: string;
      context: string;
      proxy: boolean;
      /**
       * The user has neither an exec plugin nor an auth provider (certificates, a token, basic auth): every request gets
       * these same options and headers, which the caller then applies itself instead of asking per request.
       */
      fixed?: { options: Record<string, unknown>; headers: Record<string, string> };
    }
  | { type: 'failed'; message: string }
  | { type: 'applied'; id: number; options: Record<string, unknown>; headers: Record<string, string> }
  | { type: 'apply-failed'; id: number; message: string };
