// The part of `kubeplan validate` that can run on a share of the files: parse them, check each object against its
// schema and the object-scope rules. The main thread runs it on the whole input, or on its chunks of the files while
// worker threads run it on theirs (worker.ts); src/validate/index.ts puts the pieces together in one order either way.
import type { Finding, JsonObject, Manifest, SourceFile } from '../../core/types.ts';
import { type FileRecord, manifestsFromRecord, type ParseResult, parseSource, parseSourceRecord, sourceText } from '../../manifests/parse.ts';
import type { ParseCache } from '../../manifests/parse-cache.ts';
import type { RunSettings } from '../rules/rule.ts';
import { objectRules } from '../rules/index.ts';
import { type ObjectRuleRun, type RuleConfig, type RuleInput, runObjectRules } from '../rules/run.ts';
import type { SchemaValidator } from '../schema/index.ts';

export interface ParsedFiles {
  /** In file order, then document order. */
  manifests: Manifest[];
  /** Parse findings, in file order. */
  findings: Finding[];
}

/** A file's FileRecord, with the file's index in the run's list of files. */
export interface IndexedRecord {
  index: number;
  record: FileRecord;
}

/**
 * parseSource over files[from, to) in order. With `records`, also each file's FileRecord (for another thread to
 * rebuild its manifests). With `cache`, files from git (with a blob id) come from it when it has them, and the
 * ones parsed without a finding go into it.
 */
export function parseFiles(files: readonly SourceFile[], maxBytes: number, records?: IndexedRecord[], from = 0, to = files.length, cache?: ParseCache): ParsedFiles {
  const manifests: Manifest[] = [];
  const findings: Finding[] = [];
  for (let index = from; index < to; index++) {
    const file = files[index] as SourceFile;
    let parsed: ParseResult;
    const { oid } = file;
    if (cache && oid !== undefined && !records && file.bytes.byteLength <= maxBytes) {
      const hit = cache.get(oid);
      if (hit !== undefined) {
        for (const m of manifestsFromRecord({ path: file.path, ...hit }, () => sourceText(file.bytes))) manifests.push(m);
        continue;
      }
      const withRecord = parseSourceRecord(file, maxBytes);
      if (withRecord.findings.length === 0) cache.put(oid, { starts: withRecord.record?.starts ?? null, manifests: withRecord.record?.manifests ?? [] });
      parsed = withRecord;
    } else if (records) {
      const withRecord = parseSourceRecord(file, maxBytes);
      if (withRecord.record !== undefined) records.push({ index, record: withRecord.record });
      parsed = withRecord;
    } else parsed = parseSource(file, maxBytes);
    for (const m of parsed.manifests) manifests.push(m);
    for (const f of parsed.findings) findings.push(f);
  }
  return { manifests, findings };
}

/** The manifests for runObjectRules: those of reported files are checked. */
export function ruleInput(manifests: readonly Manifest[], reportOn: ReadonlySet<string> | null): RuleInput {
  return { manifests, reportedManifests: reportOn === null ? manifests : manifests.filter((m) => reportOn.has(m.file)), reportOn };
}

/** Schema findings of the reported manifests, in order. */
export function checkSchemas(schema: SchemaValidator, manifests: readonly Manifest[], reportOn: ReadonlySet<string> | null): Finding[] {
  const findings: Finding[] = [];
  for (const m of manifests) {
    if (reportOn === null || reportOn.has(m.file)) for (const f of schema.validate(m)) findings.push(f);
  }
  return findings;
}

/** The distinct apiVersions of the manifests that get schema checks (those of reported files; List items included), sorted. */
export function apiVersionsOf(manifests: readonly Manifest[], reportOn: ReadonlySet<string> | null): string[] {
  const out = new Set<string>();
  const add = (o: unknown): void => {
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return;
    const { apiVersion, kind, items } = o as Record<string, unknown>;
    if (typeof apiVersion === 'string' && apiVersion !== '') out.add(apiVersion);
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) for (const item of items) add(item);
  };
  for (const m of manifests) if (reportOn === null || reportOn.has(m.file)) add(m.object);
  return [...out].sort();
}

/** A CRD's object and identity, enough for SchemaValidator.registerCrds in another thread (which reports nothing). */
export interface CrdData {
  file: string;
  docIndex: number;
  itemIndex?: number;
  object: JsonObject;
}

export function crdData(m: Manifest): CrdData {
  return m.itemIndex === undefined ? { file: m.file, docIndex: m.docIndex, object: m.object } : { file: m.file, docIndex: m.docIndex, itemIndex: m.itemIndex, object: m.object };
}

/** A Manifest for registerCrds where its findings are dropped: positions all 1:1. */
export function crdManifest(d: CrdData): Manifest {
  const at = { line: 1, column: 1 };
  const m: Manifest = { file: d.file, docIndex: d.docIndex, object: d.object, position: at, locate: () => ({ start: at, end: at }) };
  if (d.itemIndex !== undefined) m.itemIndex = d.itemIndex;
  return m;
}

// ---------------------------------------------------------------------------------------------------------------------
// Sharing chunks between threads. The files are cut into chunks (contiguous, in file order); each thread starts with
// a contiguous block of chunks and takes them from the front. A thread that runs out of its own takes chunks from the
// back of the block with the most left (work stealing), so a worker that starts late, a shard that costs more than its
// bytes suggest, or a core busy with something else delays nothing. Each block's state is one Int32 in shared memory,
// `next | end << 16`, changed only by compare-and-exchange.

const LOW = 0xffff;
/** At most this many chunks (a block's bounds are 16 bits each). */
export const MAX_CHUNKS = LOW;

/** Shared state for `threads` blocks over `chunks` chunks, split evenly in order; thread 0 is the main thread. */
export function chunkBlocks(chunks: number, threads: number): Int32Array {
  const state = new Int32Array(new SharedArrayBuffer(4 * threads));
  for (let t = 0; t < threads; t++) {
    const from = Math.round((chunks * t) / threads);
    const to = Math.round((chunks * (t + 1)) / threads);
    state[t] = from | (to << 16);
  }
  return state;
}

/** The next chunk of this thread's block, then (with `steal`) the last chunk of the fullest other block; -1 when none is left. */
export function claimChunk(state: Int32Array, thread: number, steal: boolean): number {
  for (;;) {
    const s = Atomics.load(state, thread);
    const next = s & LOW;
    const end = s >>> 16;
    if (next >= end) break;
    if (Atomics.compareExchange(state, thread, s, (next + 1) | (end << 16)) === s) return next;
  }
  if (!steal) return -1;
  for (;;) {
    let victim = -1;
    let most = 0;
    for (let t = 0; t < state.length; t++) {
      const s = Atomics.load(state, t);
      const left = (s >>> 16) - (s & LOW);
      if (left > most) {
        most = left;
        victim = t;
      }
    }
    if (victim < 0) return -1;
    const s = Atomics.load(state, victim);
    const next = s & LOW;
    const end = s >>> 16;
    if (next < end && Atomics.compareExchange(state, victim, s, next | ((end - 1) << 16)) === s) return end - 1;
  }
}

/** What a thread did with one chunk before CRDs are exchanged: its parse and the object-scope rules. */
export interface ChunkWork {
  chunk: number;
  parsed: ParsedFiles;
  /** FileRecords of the chunk's files (workers only: the main thread keeps its Manifests). */
  records: IndexedRecord[];
  rules: ObjectRuleRun[];
}

export interface ChunkPlan {
  files: readonly SourceFile[];
  /** Chunk c is files[bounds[c], bounds[c + 1]). */
  bounds: readonly number[];
  state: Int32Array;
  thread: number;
  steal: boolean;
  maxBytes: number;
  reportOn: ReadonlySet<string> | null;
  settings: RunSettings;
  rules: Readonly<Record<string, RuleConfig>>;
  /** Keep FileRecords (a worker's manifests go back to the main thread as those). */
  records: boolean;
}

/** Claim and work on chunks until none is left. */
export function workOnChunks(plan: ChunkPlan): ChunkWork[] {
  const done: ChunkWork[] = [];
  for (let c = claimChunk(plan.state, plan.thread, plan.steal); c >= 0; c = claimChunk(plan.state, plan.thread, plan.steal)) {
    const records: IndexedRecord[] = [];
    const parsed = parseFiles(plan.files, plan.maxBytes, plan.records ? records : undefined, plan.bounds[c], plan.bounds[c + 1]);
    const rules = runObjectRules(objectRules, ruleInput(parsed.manifests, plan.reportOn), plan.settings, plan.rules);
    done.push({ chunk: c, parsed, records, rules });
  }
  return done;
}
