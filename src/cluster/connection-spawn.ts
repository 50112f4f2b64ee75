// Starting the connection worker (connection-worker.ts), which waits to be told which kubeconfig to read. `kubeplan
// plan` against a cluster starts it before the CLI has loaded (src/cli/main.ts, startEarly); connectInBackground
// takes that worker, or starts one.
import { Worker } from 'node:worker_threads';
import { FROM_SOURCES, packageModule } from '../core/package-root.ts';

/** Where an early worker waits to be taken: a global, because the launcher and the CLI are separate bundles. */
const EARLY = Symbol.for('kubeplan.connection-worker');

interface Early {
  worker: Worker;
  failed: boolean;
  onFailure: () => void;
}

/** Start the worker now; it never keeps the process alive until taken, and one that fails is replaced then. */
export function startEarly(): void {
  try {
    const worker = newWorker();
    const early: Early = { worker, failed: false, onFailure: () => void (early.failed = true) };
    worker.on('error', early.onFailure);
    worker.on('exit', early.onFailure);
    worker.unref();
    (globalThis as Record<symbol, unknown>)[EARLY] = early;
  } catch {
    // connectionWorker starts one when it is needed
  }
}

/** The early worker if one was started and still runs, else a new one. */
export function connectionWorker(): Worker {
  const g = globalThis as Record<symbol, Early | undefined>;
  const early = g[EARLY];
  delete g[EARLY];
  if (early) {
    early.worker.off('error', early.onFailure);
    early.worker.off('exit', early.onFailure);
    if (!early.failed) {
      early.worker.ref();
      return early.worker;
    }
  }
  return newWorker();
}

function newWorker(): Worker {
  const options = { stdout: false, stderr: false };
  const script = packageModule('cluster/connection-worker');
  if (!FROM_SOURCES) return new Worker(script, options);
  // Running from the TypeScript sources (tests): through tsx's ESM hooks (the worker awaits at its top level, so not
  // tsx's require hook as src/validate/parallel uses). Resolved as an import: its CommonJS build cannot be imported.
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(new URL(`file://${script}`).href)}); });`, { ...options, eval: true });
}
