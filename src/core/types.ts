// The data that flows through the pipeline: sources → manifests → findings / plan.
// Every stage is a pure function over these types; I/O lives in src/sources, src/cluster and the CLI.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One path segment into a JSON value: a mapping key or a sequence index. */
export type PathSegment = string | number;
export type JsonPath = readonly PathSegment[];

/** 1-based line and column, as editors, SARIF and GitHub annotations count them. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Bytes read from somewhere (a file, a git blob, stdin), before parsing. */
export interface SourceFile {
  /** Display path: POSIX separators, relative to the working directory (or repo root for git sources); "-" for stdin. */
  path: string;
  bytes: Uint8Array;
  /** The git blob id of `bytes`, when they came from git: a name for exactly these bytes (the parse cache's key). */
  oid?: string;
}

/** A Kubernetes object as it was written, with a way back to its text. */
export interface Manifest {
  /** Display path of the file this object came from. */
  file: string;
  /** 0-based index of the YAML document in the file. */
  docIndex: number;
  /** 0-based index inside a `kind: List` / `*List` document; undefined for plain documents. */
  itemIndex?: number;
  /** The parsed object (YAML 1.1 scalars resolved as Kubernetes reads them). */
  object: JsonObject;
  /** Where the object starts (its first key). */
  position: Position;
  /**
   * Position of the value (or, with target "key", of the mapping key) at a path inside `object`.
   * Falls back to the nearest ancestor that exists in the text, so a missing field points at its parent.
   */
  locate(path: JsonPath, target?: 'key' | 'value'): Range;
  /** For Helm-rendered streams: the `# Source: chart/templates/x.yaml` template this document came from. */
  template?: string;
}

export type Severity = 'error' | 'warning' | 'info';

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface Suppression {
  kind: 'inline' | 'baseline';
  justification: string;
}

export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  /** Stable rule id, kebab-case, e.g. "schema", "yaml-syntax", "service-selector-no-match". */
  rule: string;
  message: string;
  object: ObjectRef | null;
  /** Set when an inline annotation or a baseline suppresses the finding; reporters show it as suppressed, never drop it silently. */
  suppressed?: Suppression;
}

/** Static description of a rule: feeds --help, docs and SARIF `tool.driver.rules`. */
export interface RuleMeta {
  id: string;
  /** One sentence, shown as SARIF shortDescription. */
  description: string;
  defaultSeverity: Severity;
  /** Rules that are precise run by default; hygiene rules are opt-in through configuration. */
  enabledByDefault: boolean;
  /** Markdown help (the rule's doc); SARIF `help.markdown`. */
  help?: string;
}

/** What `kubeplan validate` produces; every reporter renders exactly this. */
export interface ValidationReport {
  /** Sorted with compareFindings; includes suppressed findings (marked), never silently drops them. */
  findings: Finding[];
  /** Metadata of every rule that ran (SARIF needs them even when a rule found nothing). */
  rules: RuleMeta[];
  summary: ValidationSummary;
}

export interface ValidationSummary {
  files: number;
  objects: number;
  errors: number;
  warnings: number;
  infos: number;
  suppressed: number;
  /** Kubernetes version validated against, e.g. "1.36". */
  kubernetesVersion: string;
}
