// A validation worker thread: works on chunks of the files (parse, object-scope rules) until none is left, sends the
// CRDs it found to the main thread and gets back every CRD of the run, checks schemas, and posts each chunk's findings
// (positioned here, where the text is) and manifests (as FileRecords). See ./index.ts for the main side.
import { parentPort, workerData } from 'node:worker_threads';
import type { SourceFile } from '../../core/types.ts';
import { isCrd } from '../schema/crd.ts';
import { createSchemaValidator } from '../schema/index.ts';
import type { ChunkResult, CrdsFromWorker, CrdsToWorker, FromWorker, WorkerInput } from './protocol.ts';
import { apiVersionsOf, checkSchemas, crdManifest, workOnChunks } from './shard.ts';

if (parentPort === null) throw new Error('validate/parallel/worker: not started as a worker thread');
const port = parentPort;

const post = (message: FromWorker): void => port.postMessage(message);

function main(input: WorkerInput): void {
  // Test hook (parallel.test.ts): fail the way a broken worker would.
  if (process.env.KUBEPLAN_WORKER_FAULT === 'throw') throw new Error('injected worker fault');
  if (process.env.KUBEPLAN_WORKER_FAULT === 'exit') process.exit(70);
  const files: SourceFile[] = input.files.map((f) => ({ path: f.path, bytes: new Uint8Array(input.buffer, f.offset, f.length) }));
  const reportOn = input.reportOn === null ? null : new Set(input.reportOn);
  const done = workOnChunks({ ...input, files, state: input.blocks, reportOn, records: true });

  const apiVersions = new Set<string>();
  for (const work of done) for (const v of apiVersionsOf(work.parsed.manifests, reportOn)) apiVersions.add(v);
  const crds: CrdsFromWorker = { type: 'crds', chunks: [], apiVersions: [...apiVersions] };
  for (const work of done) {
    const files = [];
    for (const { index, record } of work.records) {
      const found = record.manifests.filter((r) => isCrd(crdManifest({ file: record.path, docIndex: r.docIndex, object: r.object })));
      if (found.length > 0) files.push({ index, record: { ...record, manifests: found } });
    }
    if (files.length > 0) crds.chunks.push({ chunk: work.chunk, files });
  }
  post(crds);

  port.once('message', (m: CrdsToWorker) => {
    try {
      const schema = createSchemaValidator(m.schema ?? input.schema);
      // The main thread reports the CRDs' own problems; here they only need to be known.
      schema.registerCrds(m.crds.map(crdManifest));
      const chunks: ChunkResult[] = done.map((work) => ({
        chunk: work.chunk,
        parseFindings: work.parsed.findings,
        files: work.records,
        schemaFindings: checkSchemas(schema, work.parsed.manifests, reportOn),
        rules: work.rules,
      }));
      post({ type: 'result', chunks });

    } catch (err) {
      fail(err);
    }
  });
}

function fail(err: unknown): void {
  post({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
}

try {
  main(workerData as WorkerInput);
} catch (err) {
  fail(err);
}
