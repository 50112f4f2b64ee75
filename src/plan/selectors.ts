// The text form of --prune-selector (`app=web,tier in (a,b),!legacy`), which the shared
// src/selectors library (used for selectors inside objects) does not parse, plus small helpers.
import { isObject } from '../core/objects.ts';
import type { JsonValue } from '../core/types.ts';

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export class Selector {
  readonly requirements: Requirement[];
  constructor(requirements: Requirement[]) {
    this.requirements = requirements;
  }
  /** True when it has no requirement (a LabelSelector `{}` selects everything). */
  get empty(): boolean {
    return this.requirements.length === 0;
  }
  matches(labels: Record<string, string>): boolean {
    return this.requirements.every((r) => {
      const has = Object.hasOwn(labels, r.key);
      const v = labels[r.key];
      switch (r.operator) {
        case 'In':
          return has && r.values.includes(v as string);
        case 'NotIn':
          return !has || !r.values.includes(v as string);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
      }
    });
  }
  toString(): string {
    return this.requirements
      .map((r) => {
        if (r.operator === 'Exists') return r.key;
        if (r.operator === 'DoesNotExist') return `!${r.key}`;
        if (r.operator === 'In' && r.values.length === 1) return `${r.key}=${r.values[0]}`;
        if (r.operator === 'NotIn' && r.values.length === 1) return `${r.key}!=${r.values[0]}`;
        return `${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${r.values.join(',')})`;
      })
      .join(',');
  }
}

export type ParseResult = { ok: true; selector: Selector } | { ok: false; errors: string[] };

/** `{app: web}` (Service spec.selector, RC selector). */
export function selectorFromMap(map: Record<string, string>): Selector {
  return new Selector(Object.entries(map).map(([key, v]) => ({ key, operator: 'In', values: [v] })));
}

/** A metav1.LabelSelector (`matchLabels` + `matchExpressions`). */
export function parseLabelSelector(value: JsonValue | undefined): ParseResult {
  if (value === undefined || value === null) return { ok: true, selector: new Selector([]) };
  if (!isObject(value)) return { ok: false, errors: ['a label selector must be an object'] };
  const reqs: Requirement[] = [];
  const errors: string[] = [];
  if (isObject(value.matchLabels)) {
    for (const [k, v] of Object.entries(value.matchLabels)) reqs.push({ key: k, operator: 'In', values: [String(v)] });
  }
  if (Array.isArray(value.matchExpressions)) {
    for (const e of value.matchExpressions) {
      if (!isObject(e) || typeof e.key !== 'string') {
        errors.push('matchExpressions entries need a key');
        continue;
      }
      const op = e.operator;
      if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') {
        errors.push(`unknown operator ${JSON.stringify(op)}`);
        continue;
      }
      reqs.push({ key: e.key, operator: op, values: Array.isArray(e.values) ? e.values.map(String) : [] });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, selector: new Selector(reqs) };
}

/** The text form: `a=b,c!=d,e in (x,y),f notin (z),g,!h`. */
export function parseSelectorText(text: string): ParseResult {
  const reqs: Requirement[] = [];
  const errors: string[] = [];
  for (const part of splitTop(text)) {
    const p = part.trim();
    if (p === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^\s=!(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      reqs.push({ key: m[1] as string, operator: m[2] === 'in' ? 'In' : 'NotIn', values: (m[3] as string).split(',').map((s) => s.trim()).filter((s) => s !== '') });
    } else if ((m = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(p))) {
      reqs.push({ key: m[1] as string, operator: m[2] === '!=' ? 'NotIn' : 'In', values: [m[3] as string] });
    } else if ((m = /^!\s*([^\s=!(),]+)$/.exec(p))) {
      reqs.push({ key: m[1] as string, operator: 'DoesNotExist', values: [] });
    } else if ((m = /^([^\s=!(),]+)$/.exec(p))) {
      reqs.push({ key: m[1] as string, operator: 'Exists', values: [] });
    } else errors.push(`cannot parse selector requirement ${JSON.stringify(p)}`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, selector: new Selector(reqs) };
}

function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Can one label set satisfy both selectors? (Two workloads fighting over pods.) */
export function selectorsOverlap(a: Selector, b: Selector): boolean {
  const byKey = new Map<string, Requirement[]>();
  for (const r of [...a.requirements, ...b.requirements]) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  for (const reqs of byKey.values()) {
    let allowed: string[] | undefined;
    const excluded = new Set<string>();
    let mustExist = false;
    let mustNotExist = false;
    for (const r of reqs) {
      if (r.operator === 'In') {
        mustExist = true;
        allowed = allowed === undefined ? [...r.values] : allowed.filter((v) => r.values.includes(v));
      } else if (r.operator === 'NotIn') for (const v of r.values) excluded.add(v);
      else if (r.operator === 'Exists') mustExist = true;
      else mustNotExist = true;
    }
    if (mustExist && mustNotExist) return false;
    if (allowed !== undefined && allowed.filter((v) => !excluded.has(v)).length === 0) return false;
  }
  return true;
}

export function labelsOf(v: JsonValue | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}
