// Kubernetes label selectors, with the semantics of k8s.io/apimachinery:
//   metav1.LabelSelector (matchLabels + matchExpressions, ANDed; null selects nothing, {} selects everything)
//   and map selectors (Service / ReplicationController `spec.selector`: equality only, ANDed).
// Validation follows the API server (metav1validation.ValidateLabelSelector): operators, values per operator,
// label key and value syntax, and the strict JSON decoding of string maps (a YAML `true` is not a string).
import { isObject } from '../core/objects.ts';
import type { JsonPath, JsonValue } from '../core/types.ts';
import { isQualifiedName, isValidLabelValue } from '../k8s/validation.ts';

export type Labels = Readonly<Record<string, string>>;

/**
 * `Equals` is what a matchLabels entry (or a map selector entry) becomes; it matches exactly like `In` with one value.
 * `GreaterThan` / `LessThan` (`a>1`, `a<1`) exist only in the text form (parseSelectorText), never in a LabelSelector.
 */
export type Operator = 'Equals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'GreaterThan' | 'LessThan';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Sorted, without duplicates; empty for Exists / DoesNotExist; one integer for GreaterThan / LessThan. */
  readonly values: readonly string[];
}

export interface Selector {
  /** The requirements, sorted by key (then operator), as apimachinery keeps them. */
  readonly requirements: readonly Requirement[];
  /** Selects every object: a LabelSelector `{}` (or with empty matchLabels and matchExpressions). */
  readonly empty: boolean;
  /** Selects no object: a null/absent LabelSelector, or an empty map selector. */
  readonly nothing: boolean;
  matches(labels: Labels): boolean;
  /** apimachinery's string form: `app=web,tier in (a,b),!legacy`; `<everything>` / `<nothing>` for the special cases. */
  toString(): string;
}

export interface SelectorError {
  /** Relative to the selector value. */
  path: JsonPath;
  message: string;
  /** The problem is the mapping key at `path` (a bad label key, an unknown field), not its value. */
  target?: 'key';
}

export type ParsedSelector = { ok: true; selector: Selector } | { ok: false; errors: SelectorError[] };

/** Three-valued match: `maybe` when the answer depends on labels only known at runtime. */
export type MatchOutcome = 'yes' | 'no' | 'maybe';

const OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 10, 64): an optional sign and decimal digits within int64; undefined otherwise. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** Does one requirement hold for a label set? (labels.Requirement.Matches) */
export function requirementMatches(req: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'GreaterThan':
    case 'LessThan': {
      // The label value and the requirement's one value are both integers, or the requirement fails.
      const value = has ? parseInt64(labels[req.key] as string) : undefined;
      const bound = req.values.length === 1 ? parseInt64(req.values[0] as string) : undefined;
      if (value === undefined || bound === undefined) return false;
      return req.operator === 'GreaterThan' ? value > bound : value < bound;
    }
    case 'Equals':
    case 'In':
      return has && req.values.includes(labels[req.key] as string);
    case 'NotIn':
      // An object without the key satisfies NotIn: `tier notin (a)` selects pods that have no tier label at all.
      return !has || !req.values.includes(labels[req.key] as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export function formatRequirement(req: Requirement): string {
  switch (req.operator) {
    case 'Equals':
      return `${req.key}=${req.values[0] ?? ''}`;
    case 'In':
      return req.values.length === 1 ? `${req.key}=${req.values[0] ?? ''}` : `${req.key} in (${req.values.join(',')})`;
    case 'NotIn':
      return req.values.length === 1 ? `${req.key}!=${req.values[0] ?? ''}` : `${req.key} notin (${req.values.join(',')})`;
    case 'Exists':
      return req.key;
    case 'DoesNotExist':
      return `!${req.key}`;
    case 'GreaterThan':
      return `${req.key}>${req.values[0] ?? ''}`;
    case 'LessThan':
      return `${req.key}<${req.values[0] ?? ''}`;
  }
}

const operatorOrder: Record<Operator, number> = { Equals: 0, In: 1, NotIn: 2, Exists: 3, DoesNotExist: 4, GreaterThan: 5, LessThan: 6 };

class RequirementsSelector implements Selector {
  readonly requirements: readonly Requirement[];
  readonly empty: boolean;
  readonly nothing: boolean;

  constructor(requirements: Requirement[], kind: 'requirements' | 'everything' | 'nothing') {
    this.requirements = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : operatorOrder[a.operator] - operatorOrder[b.operator]));
    this.empty = kind === 'everything';
    this.nothing = kind === 'nothing';
  }

  matches(labels: Labels): boolean {
    if (this.nothing) return false;
    return this.requirements.every((r) => requirementMatches(r, labels));
  }

  toString(): string {
    if (this.nothing) return '<nothing>';
    if (this.empty) return '<everything>';
    return this.requirements.map(formatRequirement).join(',');
  }
}

/** A selector that selects every object (LabelSelector `{}`). */
export const everything: Selector = new RequirementsSelector([], 'everything');
/** A selector that selects nothing (null LabelSelector, empty Service selector). */
export const nothing: Selector = new RequirementsSelector([], 'nothing');

/** Build a selector from requirements; an empty list selects everything. Values are deduplicated and sorted. */
export function selectorOf(requirements: readonly Requirement[]): Selector {
  if (requirements.length === 0) return everything;
  return new RequirementsSelector(
    requirements.map((r) => ({ key: r.key, operator: r.operator, values: [...new Set(r.values)].sort() })),
    'requirements',
  );
}

function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function quoteHint(v: JsonValue): string {
  return typeof v === 'boolean' || typeof v === 'number' ? ` (quote it: YAML reads ${JSON.stringify(v)} as a ${typeof v})` : '';
}

/** Validate a `{key: value}` label map as the API server does (ValidateLabels) and decode it strictly. */
function parseLabelMap(value: JsonValue, base: JsonPath, errors: SelectorError[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) {
    errors.push({ path: base, message: `must be a map of label keys to string values, found ${describe(value)}` });
    return out;
  }
  for (const [key, v] of Object.entries(value)) {
    const path = [...base, key];
    for (const msg of isQualifiedName(key)) errors.push({ path, message: `invalid label key ${JSON.stringify(key)}: ${msg}`, target: 'key' });
    if (v === null) {
      // JSON null decodes to "" for a Go string: accepted by the API server, and an empty label value is valid.
      out[key] = '';
      continue;
    }
    if (typeof v !== 'string') {
      errors.push({ path, message: `label value for ${JSON.stringify(key)} must be a string, found ${describe(v)}${quoteHint(v)}` });
      continue;
    }
    for (const msg of isValidLabelValue(v)) errors.push({ path, message: `invalid label value ${JSON.stringify(v)} for ${JSON.stringify(key)}: ${msg}` });
    out[key] = v;
  }
  return out;
}

/**
 * Parse and validate a metav1.LabelSelector.
 * - `undefined` / `null` → a selector that selects nothing;
 * - `{}`, or empty matchLabels and matchExpressions → a selector that selects everything;
 * - otherwise the AND of every matchLabels entry and every matchExpressions requirement.
 * Invalid selectors (unknown fields, bad operator, values that don't fit the operator, bad key or value syntax,
 * non-string values) are errors with paths relative to the selector, and no selector.
 */
export function parseLabelSelector(value: JsonValue | undefined): ParsedSelector {
  if (value === undefined || value === null) return { ok: true, selector: nothing };
  const errors: SelectorError[] = [];
  if (!isObject(value)) return { ok: false, errors: [{ path: [], message: `a label selector must be an object with matchLabels and/or matchExpressions, found ${describe(value)}` }] };
  const requirements: Requirement[] = [];
  for (const key of Object.keys(value)) {
    if (key !== 'matchLabels' && key !== 'matchExpressions') {
      errors.push({
        path: [key],
        message: `unknown field ${JSON.stringify(key)} in a label selector (only matchLabels and matchExpressions); did you mean matchLabels: {${key}: …}?`,
        target: 'key',
      });
    }
  }
  const matchLabels = value.matchLabels;
  if (matchLabels !== undefined && matchLabels !== null) {
    for (const [k, v] of Object.entries(parseLabelMap(matchLabels, ['matchLabels'], errors))) requirements.push({ key: k, operator: 'Equals', values: [v] });
  }
  const exprs = value.matchExpressions;
  if (exprs !== undefined && exprs !== null) {
    if (!Array.isArray(exprs)) {
      errors.push({ path: ['matchExpressions'], message: `matchExpressions must be a list, found ${describe(exprs)}` });
    } else {
      exprs.forEach((expr, i) => {
        const base: JsonPath = ['matchExpressions', i];
        const req = parseExpression(expr, base, errors);
        if (req) requirements.push(req);
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, selector: selectorOf(requirements) };
}

function parseExpression(expr: JsonValue, base: JsonPath, errors: SelectorError[]): Requirement | undefined {
  if (!isObject(expr)) {
    errors.push({ path: base, message: `a match expression must be an object with key, operator and values, found ${describe(expr)}` });
    return undefined;
  }
  const before = errors.length;
  for (const k of Object.keys(expr)) {
    if (k !== 'key' && k !== 'operator' && k !== 'values') errors.push({ path: [...base, k], message: `unknown field ${JSON.stringify(k)} in a match expression (key, operator, values)`, target: 'key' });
  }
  const key = expr.key;
  if (typeof key !== 'string' || key === '') {
    errors.push({ path: [...base, 'key'], message: key === undefined || key === '' || key === null ? 'key is required' : `key must be a string, found ${describe(key)}` });
  } else {
    for (const msg of isQualifiedName(key)) errors.push({ path: [...base, 'key'], message: `invalid label key ${JSON.stringify(key)}: ${msg}` });
  }
  const op = expr.operator;
  const rawValues = expr.values;
  const values: string[] = [];
  if (rawValues !== undefined && rawValues !== null) {
    if (!Array.isArray(rawValues)) {
      errors.push({ path: [...base, 'values'], message: `values must be a list of strings, found ${describe(rawValues)}` });
    } else {
      rawValues.forEach((v, j) => {
        if (typeof v !== 'string') {
          errors.push({ path: [...base, 'values', j], message: `values must be strings, found ${describe(v)}${quoteHint(v)}` });
          return;
        }
        for (const msg of isValidLabelValue(v)) errors.push({ path: [...base, 'values', j], message: `invalid label value ${JSON.stringify(v)}: ${msg}` });
        values.push(v);
      });
    }
  }
  const hasValues = Array.isArray(rawValues) && rawValues.length > 0;
  if (typeof op !== 'string' || !OPERATORS.has(op)) {
    errors.push({
      path: [...base, 'operator'],
      message: op === undefined || op === null ? 'operator is required (In, NotIn, Exists or DoesNotExist)' : `${JSON.stringify(op)} is not a valid label selector operator (In, NotIn, Exists, DoesNotExist; they are case-sensitive)`,
    });
  } else if ((op === 'In' || op === 'NotIn') && !hasValues) {
    errors.push({ path: [...base, 'values'], message: `values must be specified when operator is 'In' or 'NotIn'` });
  } else if ((op === 'Exists' || op === 'DoesNotExist') && hasValues) {
    errors.push({ path: [...base, 'values'], message: `values may not be specified when operator is 'Exists' or 'DoesNotExist'` });
  }
  if (errors.length > before || typeof key !== 'string' || typeof op !== 'string') return undefined;
  return { key, operator: op as Operator, values };
}

/**
 * A map selector (Service or ReplicationController `spec.selector`): equality requirements ANDed.
 * An empty or absent map selects NOTHING here (a selectorless Service manages no endpoints), unlike LabelSelector `{}`.
 */
export function selectorFromMap(map: Labels | null | undefined): Selector {
  if (map === null || map === undefined) return nothing;
  const reqs = Object.entries(map).map(([key, v]): Requirement => ({ key, operator: 'Equals', values: [v] }));
  return reqs.length === 0 ? nothing : selectorOf(reqs);
}

/** Parse and validate a map selector from a manifest value; empty or absent → selects nothing. */
export function parseSelectorMap(value: JsonValue | undefined): ParsedSelector {
  if (value === undefined || value === null) return { ok: true, selector: nothing };
  const errors: SelectorError[] = [];
  const map = parseLabelMap(value, [], errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, selector: selectorFromMap(map) };
}

/**
 * Match with labels that exist at runtime but not in the manifest (e.g. `pod-template-hash`):
 * `runtimeKeys` are keys the object will carry with an unknown value. A requirement on such a key
 * that the manifest doesn't settle gives `maybe` (Exists → yes, DoesNotExist → no).
 */
export function matchOutcome(selector: Selector, labels: Labels, runtimeKeys: ReadonlySet<string> = new Set()): MatchOutcome {
  if (selector.nothing) return 'no';
  let outcome: MatchOutcome = 'yes';
  for (const req of selector.requirements) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    if (!has && runtimeKeys.has(req.key)) {
      if (req.operator === 'DoesNotExist') return 'no';
      if (req.operator !== 'Exists') outcome = 'maybe';
      continue;
    }
    if (!requirementMatches(req, labels)) return 'no';
  }
  return outcome;
}

/** The requirements a label set fails, formatted — for "why doesn't it match" messages. */
export function failedRequirements(selector: Selector, labels: Labels): string[] {
  return selector.requirements.filter((r) => !requirementMatches(r, labels)).map(formatRequirement);
}

/** Format a label map the way selectors are written: `app=web,tier=fe` (sorted; `<none>` when empty). */
export function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels[k] ?? ''}`).join(',');
}
