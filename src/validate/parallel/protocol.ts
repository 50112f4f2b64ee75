// Messages between the main thread and a validation worker (worker.ts). Everything is structured-clone data.
import type { Finding } from '../../core/types.ts';
import type { RuleConfig } from '../rules/run.ts';
import type { RunSettings } from '../rules/rule.ts';
import type { SchemaValidatorOptions } from '../schema/index.ts';
import type { ObjectRuleRun } from '../rules/run.ts';
import type { CrdData, IndexedRecord } from './shard.ts';

/** workerData: every file of the run (in shared memory) and how to check them. */
export interface WorkerInput {
  /** The files' bytes, one after the other, shared with the main thread (never written once workers start). */
  buffer: SharedArrayBuffer;
  files: { path: string; offset: number; length: number }[];
  /** Chunk c is files[bounds[c], bounds[c + 1]). */
  bounds: number[];
  /** chunkBlocks() state, shared by all threads. */
  blocks: Int32Array;
  /** This worker's block in `blocks`. */
  thread: number;
  steal: boolean;
  maxBytes: number;
  schema: Pick<SchemaValidatorOptions, 'kubernetesVersion' | 'strict' | 'ignoreMissingSchemas' | 'source' | 'fallbackKubernetesVersion'>;
  settings: RunSettings;
  rules: Record<string, RuleConfig>;
  /** Reported files (null = all). */
  reportOn: string[] | null;
}

/** Worker → main, once it has no chunk left: the CRDs of its chunks, so that every thread registers every CRD of the run. */
export interface CrdsFromWorker {
  type: 'crds';
  /** Per chunk with CRDs: FileRecords holding only the CRD manifests of their file (the main thread positions their findings). */
  chunks: { chunk: number; files: IndexedRecord[] }[];
  /** apiVersions of the reported manifests of its chunks (apiVersionsOf), for schemas chosen after parsing (CheckInput.served). */
  apiVersions: string[];
}

/** Main → worker: every CRD of the run in registration order (--crd files, then the input's, in file order). */
export interface CrdsToWorker {
  type: 'crds';
  crds: CrdData[];
  /** Schemas chosen after parsing (CheckInput.served): the options to validate with instead of WorkerInput.schema. */
  schema?: WorkerInput['schema'];
}

/** One chunk, done: findings already positioned, manifests as FileRecords. */
export interface ChunkResult {
  chunk: number;
  /** Parse findings, in file order. */
  parseFindings: Finding[];
  /** The chunk's manifests, file by file (files without manifests are left out). */
  files: IndexedRecord[];
  /** Schema findings of the reported manifests, in manifest order. */
  schemaFindings: Finding[];
  /** Enabled object-scope rules, in objectRules order. */
  rules: ObjectRuleRun[];
}

/** Worker → main, last: every chunk it did. */
export interface WorkerResult {
  type: 'result';
  chunks: ChunkResult[];
}

export interface WorkerFailure {
  type: 'error';
  message: string;
}

export type FromWorker = CrdsFromWorker | WorkerResult | WorkerFailure;
