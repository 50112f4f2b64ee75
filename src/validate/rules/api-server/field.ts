// Field paths and error messages shaped like the API server's (k8s.io/apimachinery/pkg/util/validation/field),
// so a finding reads like the rejection the user would get from `kubectl apply`.
import type { JsonPath, JsonValue } from '../../../core/types.ts';

/** A field (`.name`), an index or map key (`[0]`, `[cpu]`), or a step that keeps the parent's text. */
const Step = { Root: 0, Field: 1, Bracket: 2, Other: 3 } as const;
type Step = (typeof Step)[keyof typeof Step];

/**
 * A path into an object, kept both as a JSON path (to locate the text) and as Go's field.Path string. The rules make
 * one at every step of every walk and read one only for a finding, so both forms are built on first read.
 */
export class FieldPath {
  private readonly parent: FieldPath | null;
  /** How this path extends its parent (Step); `seg` is the field, index or key it adds. */
  private readonly step: Step;
  private readonly seg: string | number;
  /** For Step.Other: the JSON segments it adds (pointing), or the path whose JSON it uses (locatedAt). */
  private readonly extra: (string | number)[] | FieldPath | null;
  private cachedJson: JsonPath | undefined;
  private cachedText: string | undefined;

  private constructor(parent: FieldPath | null, step: Step, seg: string | number, extra: (string | number)[] | FieldPath | null = null) {
    this.parent = parent;
    this.step = step;
    this.seg = seg;
    this.extra = extra;
  }

  /** The empty path (one shared instance: paths never change once made). */
  private static readonly rootPath: FieldPath = (() => {
    const root = new FieldPath(null, Step.Root, '');
    root.cachedJson = [];
    root.cachedText = '';
    return root;
  })();

  static root(): FieldPath {
    return FieldPath.rootPath;
  }

  /** A path from JSON segments: numbers become indexes, strings become fields. */
  static of(json: JsonPath): FieldPath {
    return json.reduce<FieldPath>((p, seg) => (typeof seg === 'number' ? p.index(seg) : p.child(seg)), FieldPath.root());
  }

  get json(): JsonPath {
    if (this.cachedJson === undefined) {
      const base = this.parent?.json ?? [];
      const { extra } = this;
      if (extra instanceof FieldPath) this.cachedJson = extra.json;
      else if (extra !== null) this.cachedJson = [...base, ...extra];
      else this.cachedJson = [...base, this.seg];
    }
    return this.cachedJson;
  }

  get text(): string {
    if (this.cachedText === undefined) {
      const base = this.parent?.text ?? '';
      if (this.step === Step.Field) this.cachedText = base === '' ? String(this.seg) : `${base}.${this.seg}`;
      else if (this.step === Step.Bracket) this.cachedText = `${base}[${this.seg}]`;
      else this.cachedText = base;
    }
    return this.cachedText;
  }

  child(...names: string[]): FieldPath {
    let p: FieldPath = this;
    for (const n of names) p = new FieldPath(p, Step.Field, n);
    return p;
  }

  index(i: number): FieldPath {
    return new FieldPath(this, Step.Bracket, i);
  }

  /** A map key: Go prints it in brackets (`resources.limits[cpu]`). */
  key(k: string): FieldPath {
    return new FieldPath(this, Step.Bracket, k);
  }

  /** Point further into the text (e.g. at one label key) while the message keeps Go's shorter path. */
  pointing(...segs: (string | number)[]): FieldPath {
    return new FieldPath(this, Step.Other, '', segs);
  }

  /** Keep this path's text (Go's) but locate the finding at another path. */
  locatedAt(other: FieldPath): FieldPath {
    return new FieldPath(this, Step.Other, '', other);
  }

  toString(): string {
    return this.text;
  }
}


/** Go's rendering of a bad value: %q for strings, %v for numbers and booleans. */
export function goValue(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const withDetail = (s: string, detail: string | undefined): string => (detail ? `${s}: ${detail}` : s);

/** field.Invalid */
export function invalid(path: FieldPath, value: JsonValue | undefined, detail: string): string {
  return withDetail(`${path.text}: Invalid value: ${goValue(value)}`, detail);
}

/** field.Required */
export function required(path: FieldPath, detail?: string): string {
  return withDetail(`${path.text}: Required value`, detail);
}

/** field.NotSupported: the list is printed in the order given (Go sorts some lists, not all). */
export function notSupported(path: FieldPath, value: JsonValue | undefined, supported: readonly string[]): string {
  return withDetail(`${path.text}: Unsupported value: ${goValue(value)}`, supported.length > 0 ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : undefined);
}

/** field.Duplicate */
export function duplicate(path: FieldPath, value: JsonValue | undefined): string {
  return `${path.text}: Duplicate value: ${goValue(value)}`;
}

/** field.NotFound */
export function notFound(path: FieldPath, value: JsonValue | undefined, detail?: string): string {
  return withDetail(`${path.text}: Not found: ${goValue(value)}`, detail);
}

/** field.Forbidden */
export function forbidden(path: FieldPath, detail: string): string {
  return `${path.text}: Forbidden: ${detail}`;
}

/** field.TooLong for byte limits. */
export function tooLong(path: FieldPath, maxBytes: number): string {
  return `${path.text}: Too long: may not be more than ${maxBytes} ${maxBytes === 1 ? 'byte' : 'bytes'}`;
}
