// ajv errors → findings a person understands, positioned in the YAML.
//
//   spec.replicas: expected integer, got string "3"
//   spec.template.spec.containers[0]: missing required field "name"      (points at the parent)
//   spec.template.spec.contianers: unknown field "contianers"; did you mean "containers"?   (points at the key)

import { findingAt } from '../../core/findings.ts';
import type { Finding, JsonPath, JsonValue, Manifest, Severity } from '../../core/types.ts';
import type { ValidationError } from './compiler.ts';
import { formatDescriptions } from './formats.ts';
import type { JsonSchema } from './types.ts';

export const RULE_SCHEMA = 'schema';
export const RULE_UNKNOWN_FIELD = 'unknown-field';

/** Resolves the schema that applies at a data path (for "did you mean" suggestions); may return undefined. */
export type SchemaAt = (path: JsonPath) => JsonSchema | undefined;

export interface MessageContext {
  manifest: Manifest;
  strict: boolean;
  maxFindings: number;
  schemaAt?: SchemaAt;
}

export function parsePointer(pointer: string): JsonPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `spec.template.spec.containers[0].name`, `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function valueAt(root: JsonValue, path: JsonPath): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? (typeof seg === 'number' ? cur[seg] : undefined) : cur[String(seg)];
  }
  return cur;
}

function truncate(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** `string "3"`, `integer 3`, `boolean true`, `null`, `object`, `array`. */
export function describeValue(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `string ${truncate(JSON.stringify(v))}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `integer ${v}` : `number ${v}`;
  if (typeof v === 'boolean') return `boolean ${v}`;
  return Array.isArray(v) ? 'array' : 'object';
}

const quoteValue = (v: JsonValue | undefined): string => (typeof v === 'string' ? truncate(JSON.stringify(v)) : JSON.stringify(v) ?? 'nothing');

function expectedTypes(t: unknown): string[] {
  const list = Array.isArray(t) ? t : typeof t === 'string' ? t.split(',') : [];
  return list.map(String).filter((x) => x !== 'null');
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function typeMessage(expected: string[], value: JsonValue | undefined): string {
  let msg = `expected ${joinOr(expected)}, got ${describeValue(value)}`;
  if (expected.includes('string') && typeof value === 'boolean') msg += ' (YAML reads yes/no/on/off/true/false as booleans; quote the value)';
  else if (expected.includes('string') && typeof value === 'number') msg += ' (quote the value to make it a string)';
  else if ((expected.includes('integer') || expected.includes('number')) && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
    msg += ' (remove the quotes to make it a number)';
  return msg;
}

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min((prev[j] as number) + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] as number;
}

/** The closest known field name, if it is close enough to be a typo. */
export function suggest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === lower ? 0.5 : levenshtein(lower, c.toLowerCase());
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  return best !== undefined && bestScore <= limit ? best : undefined;
}

interface Draft {
  rule: string;
  severity: Severity;
  path: JsonPath;
  target: 'key' | 'value';
  message: string;
}

function isBranchError(e: ValidationError, junction: ValidationError): boolean {
  const prefix = `${junction.schemaPath}/`;
  return e.schemaPath.startsWith(prefix) && e.instancePath.startsWith(junction.instancePath);
}

/** Turn one object's ajv errors into findings: deduplicated, wrappers dropped, capped per document. */
export function errorsToFindings(errors: readonly ValidationError[], ctx: MessageContext): Finding[] {
  const { manifest } = ctx;
  // Structural wrappers carry no information of their own: `if` (nullable refs, JSONSchemaPropsOr*) reports the branch.
  let errs = errors.filter((e) => e.keyword !== 'if');
  // anyOf/oneOf (CRD value validations): a type error on the same node says it better than "no branch matched".
  const junctions = errs.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (junctions.length > 0) {
    const drop = new Set<ValidationError>();
    for (const j of junctions) {
      const branch = errs.filter((e) => e !== j && isBranchError(e, j));
      for (const b of branch) drop.add(b);
      const sibling = errs.some((e) => e !== j && !branch.includes(e) && e.instancePath === j.instancePath && e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
      if (sibling) drop.add(j);
    }
    errs = errs.filter((e) => !drop.has(e));
  }
  const drafts: Draft[] = [];
  const seen = new Set<string>();
  const push = (d: Draft): void => {
    const key = `${d.rule}\u0000${formatPath(d.path)}\u0000${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    drafts.push(d);
  };
  for (const e of errs) {
    const path = parsePointer(e.instancePath);
    const where = formatPath(path);
    const prefix = where === '' ? '' : `${where}: `;
    const value = valueAt(manifest.object, path);
    const p = e.params;
    switch (e.keyword) {
      case 'type':
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}${typeMessage(expectedTypes(p.type), value)}` });
        break;
      case 'required': {
        const field = String(p.missingProperty);
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'key', message: `${prefix}missing required field ${JSON.stringify(field)}` });
        break;
      }
      case 'additionalProperties': {
        const field = String(p.additionalProperty);
        const fieldPath = [...path, field];
        const known = Object.keys(ctx.schemaAt?.(path)?.properties ?? {});
        const hint = suggest(field, known);
        const tail = hint !== undefined ? `; did you mean ${JSON.stringify(hint)}?` : '';
        const relaxed = ctx.strict ? '' : ' (the API server drops it)';
        push({
          rule: RULE_UNKNOWN_FIELD,
          severity: ctx.strict ? 'error' : 'warning',
          path: fieldPath,
          target: 'key',
          message: `${formatPath(fieldPath)}: unknown field ${JSON.stringify(field)}${tail}${relaxed}`,
        });
        break;
      }
      case 'enum': {
        const allowed = Array.isArray(p.allowedValues) ? (p.allowedValues as JsonValue[]).filter((v) => v !== null) : [];
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}unsupported value ${quoteValue(value)}; supported values: ${allowed.map((v) => quoteValue(v)).join(', ')}` });
        break;
      }
      case 'const':
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}must be ${quoteValue(p.allowedValue as JsonValue)}, got ${quoteValue(value)}` });
        break;
      case 'pattern':
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}${quoteValue(value)} does not match the pattern ${String(p.pattern)}` });
        break;
      case 'format': {
        const f = String(p.format);
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}${quoteValue(value)} is not ${formatDescriptions[f] ?? `a valid ${f}`}` });
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}must be ${String(p.comparison)} ${String(p.limit)}, got ${quoteValue(value)}` });
        break;
      case 'minLength':
      case 'maxLength': {
        const len = typeof value === 'string' ? [...value].length : 0;
        const bound = e.keyword === 'minLength' ? 'at least' : 'at most';
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}must be ${bound} ${String(p.limit)} characters long, got ${len}` });
        break;
      }
      case 'minItems':
      case 'maxItems': {
        const len = Array.isArray(value) ? value.length : 0;
        const bound = e.keyword === 'minItems' ? 'at least' : 'at most';
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}must have ${bound} ${String(p.limit)} items, got ${len}` });
        break;
      }
      case 'minProperties':
      case 'maxProperties': {
        const len = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).length : 0;
        const bound = e.keyword === 'minProperties' ? 'at least' : 'at most';
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}must have ${bound} ${String(p.limit)} fields, got ${len}` });
        break;
      }
      case 'multipleOf':
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}must be a multiple of ${String(p.multipleOf)}, got ${quoteValue(value)}` });
        break;
      case 'uniqueItems':
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}items ${String(p.j)} and ${String(p.i)} are identical; items must be unique` });
        break;
      case 'not':
        push({
          rule: RULE_SCHEMA,
          severity: 'error',
          path,
          target: 'value',
          message: value === null ? `${prefix}must not be null` : `${prefix}${describeValue(value)} matches a schema it must not match`,
        });
        break;
      case 'anyOf':
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}${describeValue(value)} does not match any of the allowed schemas` });
        break;
      case 'oneOf':
        push({
          rule: RULE_SCHEMA,
          severity: 'error',
          path,
          target: 'value',
          message: Array.isArray(p.passingSchemas)
            ? `${prefix}${describeValue(value)} matches more than one of the allowed schemas (exactly one must match)`
            : `${prefix}${describeValue(value)} does not match any of the allowed schemas`,
        });
        break;
      case 'false schema':
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'key', message: `${prefix}no value is allowed here` });
        break;
      default:
        push({ rule: RULE_SCHEMA, severity: 'error', path, target: 'value', message: `${prefix}fails the schema's ${e.keyword} check` });
    }
  }
  const kept = drafts.slice(0, ctx.maxFindings);
  const findings = kept.map((d) => findingAt({ manifest, path: d.path, target: d.target, rule: d.rule, severity: d.severity, message: d.message }));
  if (drafts.length > kept.length) {
    findings.push(
      findingAt({ manifest, path: [], rule: RULE_SCHEMA, severity: 'error', message: `${drafts.length - kept.length} more schema problems in this object were not reported (limit ${ctx.maxFindings} per object)` }),
    );
  }
  return findings;
}
