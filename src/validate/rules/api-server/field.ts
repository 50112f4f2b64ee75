// Field paths and error messages shaped like the API server's (k8s.io/apimachinery/pkg/util/validation/field),
// so a finding reads like the rejection the user would get from `kubectl apply`.
import type { JsonPath, JsonValue } from '../../../core/types.ts';

/** A path into an object, kept both as a JSON path (to locate the text) and as Go's field.Path string. */
export class FieldPath {
  readonly json: JsonPath;
  readonly text: string;

  private constructor(json: JsonPath, text: string) {
    this.json = json;
    this.text = text;
  }

  static root(): FieldPath {
    return new FieldPath([], '');
  }

  /** A path from JSON segments: numbers become indexes, strings become fields. */
  static of(json: JsonPath): FieldPath {
    return json.reduce<FieldPath>((p, seg) => (typeof seg === 'number' ? p.index(seg) : p.child(seg)), FieldPath.root());
  }

  child(...names: string[]): FieldPath {
    let p: FieldPath = this;
    for (const n of names) p = new FieldPath([...p.json, n], p.text === '' ? n : `${p.text}.${n}`);
    return p;
  }

  index(i: number): FieldPath {
    return new FieldPath([...this.json, i], `${this.text}[${i}]`);
  }

  /** A map key: Go prints it in brackets (`resources.limits[cpu]`). */
  key(k: string): FieldPath {
    return new FieldPath([...this.json, k], `${this.text}[${k}]`);
  }

  /** Point further into the text (e.g. at one label key) while the message keeps Go's shorter path. */
  pointing(...segs: (string | number)[]): FieldPath {
    return new FieldPath([...this.json, ...segs], this.text);
  }

  /** Keep this path's text (Go's) but locate the finding at another path. */
  locatedAt(other: FieldPath): FieldPath {
    return new FieldPath(other.json, this.text);
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
