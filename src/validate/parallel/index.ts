// Parsing, schema checks and object-scope rules over large inputs, on more than one core.
//
// The files (already read, sorted) are cut into chunks: contiguous, in file order, balanced by weight (bytes; context
// files of changed-only modes count less, they are only parsed). Each thread starts with a block of chunks and, when
// done with it, steals chunks from the others (shard.ts), so a worker that starts late or a busy core delays nothing.
// Every thread parses its chunks and runs the object-scope rules on them; CRDs are then exchanged (workers send theirs,
// the main thread sends every CRD back in registration order) so each thread knows all of them before checking
// schemas. Workers post their findings, already positioned, and their manifests as FileRecords; the main thread
// rebuilds those as Manifests over the file texts it holds (positions computed lazily, as after its own parse).
// src/validate/index.ts then builds the one resource graph, runs the graph rules, and puts everything in the order a
// single thread produces, so the report is byte-identical.
//
// It pays only with cores to spare. A single-threaded run already keeps ~1.5 cores busy (V8 compiles and collects
// garbage on background threads), and a worker repeats that overhead (start-up, JIT, structured clone of its objects:
// about +0.9 s of CPU on the 10,000-object bench corpus). On 2 cores that made validation ~5% slower, so by default
// workers start only on MIN_AUTO_CORES or more, and only for large inputs.
//
// KUBEPLAN_WORKERS sets the number of threads: 1 keeps everything on the main thread; N ≥ 2 uses N threads whatever
// the input and the cores, each with exactly its share of the chunks (no stealing: tests use it to force the parallel
// path deterministically); unset (or "auto"), inputs of PARALLEL_MIN_WEIGHT or more use AUTO_THREADS threads when the
// machine has MIN_AUTO_CORES cores, and small inputs (a pre-commit hook's) never start a worker.
// A worker that fails in any way costs time, never findings: the run starts over on one thread, saying so on stderr.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { FROM_SOURCES, packageModule } from '../../core/package-root.ts';
import { Worker } from 'node:worker_threads';
import type { Finding, Manifest, SourceFile } from '../../core/types.ts';
import type { ParseCache } from '../../manifests/parse-cache.ts';
import { manifestsFromRecord, sourceText } from '../../manifests/parse.ts';
import type { RunSettings } from '../rules/rule.ts';
import type { RuleConfig } from '../rules/run.ts';
import { isCrd } from '../schema/crd.ts';
import type { SchemaValidator } from '../schema/index.ts';
import type { CrdsFromWorker, CrdsToWorker, FromWorker, WorkerInput, WorkerResult } from './protocol.ts';
import { objectRules } from '../rules/index.ts';
import { mergeObjectRuleRuns, type ObjectRuleRun, runObjectRules } from '../rules/run.ts';
import { apiVersionsOf, checkSchemas, chunkBlocks, crdData, type IndexedRecord, MAX_CHUNKS, parseFiles, ruleInput, workOnChunks } from './shard.ts';

/** Inputs below this weight (bytes; context-only files count PARSE_ONLY_WEIGHT) stay on one thread: a worker costs ~0.1 s to start. */
export const PARALLEL_MIN_WEIGHT = 8 * 1024 * 1024;
/** Cores needed before large inputs get a worker by default (see above). */
export const MIN_AUTO_CORES = 3;
/** Threads used by default: each worker repeats start-up and JIT work and its objects are copied back, so returns diminish. */
export const AUTO_THREADS = 2;
const PARSE_ONLY_WEIGHT = 0.4;
/** Per-file weight on top of its bytes (reading, decoding, per-document work). */
const FILE_WEIGHT = 512;
/** Chunks per thread: enough that the last ones to finish are short, few enough to cost nothing. */
const CHUNKS_PER_THREAD = 64;

export interface CheckInput {
  files: readonly SourceFile[];
  /** Findings of loading (unreadable, too large, merge conflicts), before any parse finding. */
  loadFindings: readonly Finding[];
  reportOn: ReadonlySet<string> | null;
  extraCrds: readonly Manifest[];
  maxBytes: number;
  /** A fresh validator of the run (no CRDs registered yet), and the options that made it, for the workers'. */
  schema: SchemaValidator;
  schemaOptions: WorkerInput['schema'];
  settings: RunSettings;
  rules: Readonly<Record<string, RuleConfig>>;
  /** Parsed files of earlier runs by git blob id (one thread only; workers parse everything). */
  parseCache?: ParseCache;
  /**
   * Schemas chosen once the input is parsed (`kubeplan plan` against a cluster): called with the apiVersions of the
   * reported manifests (apiVersionsOf); the validator it gives replaces `schema`, and its options `schemaOptions` in the
   * workers. A rejection rejects the check.
   */
  served?: (apiVersions: readonly string[]) => Promise<ServedSchema>;
  /** Called with the manifests once they are parsed (one thread), before the schema checks and rules. */
  parsed?: (manifests: readonly Manifest[]) => void;
  /** One thread: awaited between chunks of the schema checks and rules, so that this thread's I/O is not held up. */
  pause?: () => Promise<void>;
}

/** Manifests checked between two pauses (CheckInput.pause): ~10 ms of work. */
const PAUSE_CHUNK = 100;

/** A validator chosen after parsing, and the options that make the same one in a worker. */
export interface ServedSchema {
  schema: SchemaValidator;
  options: WorkerInput['schema'];
  /** The rules' settings when they depend on what was served (the cluster's Kubernetes version); else CheckInput's. */
  settings?: RunSettings;
}

/** Everything but the graph rules, in the order one thread produces it. */
export interface Checked {
  manifests: Manifest[];
  /** Load, then parse findings, in file order. */
  sourceFindings: Finding[];
  /** CRD problems, then schema findings in manifest order. */
  checkFindings: Finding[];
  /** Findings of each enabled object-scope rule, by id. */
  objectRuleFindings: Map<string, Finding[]>;
  /** The run's schema validator, every CRD registered. */
  schema: SchemaValidator;
  /** The settings the rules ran with (the graph rules use the same). */
  settings: RunSettings;
}

/** How to spread the work: the number of threads (1: stay on the main thread), and whether they steal chunks. */
export interface ThreadPlan {
  threads: number;
  steal: boolean;
}

/**
 * The plan for these files, from KUBEPLAN_WORKERS (see above): unset or "auto", large inputs on a machine with
 * MIN_AUTO_CORES cores use AUTO_THREADS threads, stealing work; a number N uses N threads with exactly their shares.
 */
export function threadPlan(files: readonly SourceFile[], reportOn: ReadonlySet<string> | null, env: NodeJS.ProcessEnv = process.env): ThreadPlan {
  const single = { threads: 1, steal: false };
  if (files.length < 2) return single;
  const setting = (env.KUBEPLAN_WORKERS ?? '').trim();
  if (/^\d+$/.test(setting)) return { threads: Math.max(1, Math.min(Number(setting), files.length, 64)), steal: false };
  if (availableParallelism() < MIN_AUTO_CORES) return single;
  let weight = 0;
  for (const f of files) weight += weightOf(f, reportOn);
  return weight >= PARALLEL_MIN_WEIGHT ? { threads: AUTO_THREADS, steal: true } : single;
}

function weightOf(file: SourceFile, reportOn: ReadonlySet<string> | null): number {
  const bytes = file.bytes.byteLength + FILE_WEIGHT;
  return reportOn === null || reportOn.has(file.path) ? bytes : bytes * PARSE_ONLY_WEIGHT;
}

/** Chunk c of the files is files[bounds[c], bounds[c + 1]): about CHUNKS_PER_THREAD per thread, by weight, in order. */
export function chunkBounds(files: readonly SourceFile[], threads: number, reportOn: ReadonlySet<string> | null): number[] {
  const weights = files.map((f) => weightOf(f, reportOn));
  const total = weights.reduce((a, b) => a + b, 0);
  const chunks = Math.max(1, Math.min(files.length, threads * CHUNKS_PER_THREAD, MAX_CHUNKS));
  const bounds = [0];
  let done = 0;
  files.forEach((_, i) => {
    const w = weights[i] ?? 0;
    // Cut before this file when its middle lies past the current chunk's share of the total.
    if (i > (bounds[bounds.length - 1] ?? 0) && bounds.length < chunks && done + w / 2 > (total * bounds.length) / chunks) bounds.push(i);
    done += w;
  });
  bounds.push(files.length);
  return bounds;
}

/** The whole check on the main thread. */
export async function checkInOneThread(input: CheckInput): Promise<Checked> {
  const parsed = parseFiles(input.files, input.maxBytes, undefined, 0, input.files.length, input.parseCache);
  input.parsed?.(parsed.manifests);
  const served = input.served ? await input.served(apiVersionsOf(parsed.manifests, input.reportOn)) : undefined;
  const schema = served?.schema ?? input.schema;
  const settings = served?.settings ?? input.settings;
  const checkFindings = schema.registerCrds([...input.extraCrds, ...parsed.manifests]);
  // In changed-only modes the whole repo is loaded as context for cross-object rules,
  // but only the reported files need their own schema checks.
  const runs: ObjectRuleRun[][] = [];
  // With pauses, in chunks: object rules see one object at a time, so chunks give what worker threads give.
  const all = parsed.manifests;
  const chunks = input.pause ? Array.from({ length: Math.ceil(all.length / PAUSE_CHUNK) }, (_, i) => all.slice(i * PAUSE_CHUNK, (i + 1) * PAUSE_CHUNK)) : [all];
  for (const manifests of chunks) {
    if (input.pause) await input.pause();
    for (const f of checkSchemas(schema, manifests, input.reportOn)) checkFindings.push(f);
    runs.push(runObjectRules(objectRules, ruleInput(manifests, input.reportOn), settings, input.rules));
  }
  return {
    manifests: parsed.manifests,
    sourceFindings: [...input.loadFindings, ...parsed.findings],
    checkFindings,
    objectRuleFindings: mergeObjectRuleRuns(runs),
    schema,
    settings,
  };
}

/**
 * The check on `threads` threads; rejects when any worker fails (nothing is lost: run checkInOneThread then).
 * `steal`: threads that run out of chunks take others' (the default); without it each keeps its share, exactly.
 */
export async function checkInThreads(input: CheckInput, threads: number, steal: boolean): Promise<Checked> {
  const { files, reportOn } = input;
  const bounds = chunkBounds(files, threads, reportOn);
  const blocks = chunkBlocks(bounds.length - 1, threads);
  // Every file's bytes in shared memory: any worker may end up with any chunk.
  let size = 0;
  for (const f of files) size += f.bytes.byteLength;
  const buffer = new SharedArrayBuffer(size);
  const shared = new Uint8Array(buffer);
  const layout: WorkerInput['files'] = [];
  let offset = 0;
  for (const f of files) {
    shared.set(f.bytes, offset);
    layout.push({ path: f.path, offset, length: f.bytes.byteLength });
    offset += f.bytes.byteLength;
  }
  const channels: Channel[] = [];
  for (let thread = 1; thread < threads; thread++) {
    const workerData: WorkerInput = {
      buffer,
      files: layout,
      bounds,
      blocks,
      thread,
      steal,
      maxBytes: input.maxBytes,
      schema: input.schemaOptions,
      settings: input.settings,
      rules: { ...input.rules },
      reportOn: reportOn === null ? null : [...reportOn],
    };
    channels.push(new Channel(newWorker(workerData)));
  }
  try {
    const mine = workOnChunks({ files, bounds, state: blocks, thread: 0, steal, maxBytes: input.maxBytes, reportOn, settings: input.settings, rules: input.rules, records: false });

    // Every thread registers every CRD, in the order one thread would: --crd files, then the input's in file order.
    const crdsByChunk = new Map<number, Manifest[]>();
    const apiVersions = new Set<string>();
    for (const work of mine) {
      crdsByChunk.set(work.chunk, work.parsed.manifests.filter(isCrd));
      if (input.served) for (const v of apiVersionsOf(work.parsed.manifests, reportOn)) apiVersions.add(v);
    }
    for (const channel of channels) {
      const message = await channel.next<CrdsFromWorker>('crds');
      for (const { chunk, files: records } of message.chunks) crdsByChunk.set(chunk, rebuild(records, files));
      for (const v of message.apiVersions) apiVersions.add(v);
    }
    const crds = [...input.extraCrds, ...[...crdsByChunk].sort(([a], [b]) => a - b).flatMap(([, ms]) => ms)];
    const served = input.served ? await input.served([...apiVersions].sort()) : undefined;
    const toWorkers: CrdsToWorker = { type: 'crds', crds: crds.map(crdData), ...(served ? { schema: served.options } : {}) };
    for (const channel of channels) channel.worker.postMessage(toWorkers);
    const schema = served?.schema ?? input.schema;
    const checkFindings = schema.registerCrds(crds);

    // Each chunk's part, by chunk index, from whichever thread did it.
    const parts: ChunkPart[] = new Array<ChunkPart>(bounds.length - 1);
    for (const work of mine) {
      parts[work.chunk] = { manifests: work.parsed.manifests, parseFindings: work.parsed.findings, schemaFindings: checkSchemas(schema, work.parsed.manifests, reportOn), rules: work.rules };
    }
    for (const channel of channels) {
      for (const r of (await channel.next<WorkerResult>('result')).chunks) {
        parts[r.chunk] = { manifests: rebuild(r.files, files), parseFindings: r.parseFindings, schemaFindings: r.schemaFindings, rules: r.rules };
      }
    }
    const manifests: Manifest[] = [];
    const sourceFindings = [...input.loadFindings];
    for (let c = 0; c < parts.length; c++) {
      const part = parts[c];
      if (part === undefined) throw new Error(`no thread reported on chunk ${c}`);
      for (const m of part.manifests) manifests.push(m);
      for (const f of part.parseFindings) sourceFindings.push(f);
      for (const f of part.schemaFindings) checkFindings.push(f);
    }
    parallelStats.threaded++;
    return { manifests, sourceFindings, checkFindings, objectRuleFindings: mergeObjectRuleRuns(parts.map((p) => p.rules)), schema, settings: input.settings };
  } finally {
    for (const channel of channels) channel.close();
  }
}

interface ChunkPart {
  manifests: Manifest[];
  parseFindings: Finding[];
  schemaFindings: Finding[];
  rules: ObjectRuleRun[];
}

/** Manifests of a worker's FileRecords, over the texts of the files (decoded on first locate()). */
function rebuild(records: readonly IndexedRecord[], files: readonly SourceFile[]): Manifest[] {
  const out: Manifest[] = [];
  for (const { index, record } of records) {
    const file = files[index];
    if (file === undefined || file.path !== record.path) throw new Error(`a worker sent a record for ${record.path}, not file ${index} of the run`);
    for (const m of manifestsFromRecord(record, () => sourceText(file.bytes))) out.push(m);
  }
  return out;
}

/** Counters for tests: runs completed on several threads, and runs that fell back to one. */
export const parallelStats = { threaded: 0, fallbacks: 0 };

let noticeGiven = false;

/** Tell the user once per process that a worker failed and the run went on in one thread. */
export function workerFailureNotice(err: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): void {
  parallelStats.fallbacks++;
  if (noticeGiven) return;
  noticeGiven = true;
  const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
  write(`kubeplan: a validation worker thread failed (${why}); validating in one thread instead\n`);
}

/**
 * The worker script: the built JavaScript beside this file, or, when the TypeScript sources run (vitest, tsx), worker.ts
 * through tsx's require hook (Node 20 applies no module hooks, `--import tsx` included, to a worker's ESM entry).
 */
function newWorker(workerData: WorkerInput): Worker {
  const options = { workerData, stdout: false, stderr: false };
  const script = packageModule('validate/parallel/worker');
  if (!FROM_SOURCES) return new Worker(script, options);
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(script)});`, { ...options, eval: true });
}

/** Messages from one worker, in order; any failure of the worker (error, crash, exit before its result) rejects. */
class Channel {
  readonly worker: Worker;
  private readonly queue: FromWorker[] = [];
  private waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(worker: Worker) {
    this.worker = worker;
    worker.on('message', (m: FromWorker) => (m.type === 'error' ? this.fail(new Error(m.message)) : this.deliver(m)));
    worker.on('messageerror', (e) => this.fail(e));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`the worker exited (code ${code}) before sending its results`)));
  }

  next<T extends FromWorker>(type: T['type']): Promise<T> {
    const queued = this.queue.shift();
    const check = (m: FromWorker): T => {
      if (m.type !== type) throw new Error(`expected a "${type}" message from the worker, got "${m.type}"`);
      return m as T;
    };
    if (queued !== undefined) return Promise.resolve().then(() => check(queued));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<FromWorker>((resolve, reject) => (this.waiting = { resolve, reject })).then(check);
  }

  close(): void {
    this.worker.removeAllListeners('exit');
    this.worker.on('error', () => {});
    this.worker.unref();
    void this.worker.terminate();
  }

  private deliver(m: FromWorker): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) w.resolve(m);
    else this.queue.push(m);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(this.failure);
  }
}
