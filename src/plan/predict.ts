// Offline prediction of the object a server-side apply of `desired` onto `live` yields (both
// normalized). Fields the repo sets win; live fields the repo lacks survive unless our manager owned
// them alone (SSA semantics). Without ownership information every live field the repo lacks is
// removed (a two-way compare, like kapp's diff against live).
import { isObject } from '../core/objects.ts';
import type { JsonObject, JsonValue } from '../core/types.ts';
import { canonicalJson, deepEqual } from './json.ts';
import { itemToken, otherOwners, type Ownership, weOwn } from './ownership.ts';

export interface PredictOptions {
  listKeys: (dotted: string) => string[] | undefined;
  ownership: Ownership;
  /** true: every other manager; list: those managers. Their differing fields keep the live value. */
  ignoreOtherManagers?: boolean | string[];
}

export interface Conflict {
  /** Dotted/keyed path for messages. */
  path: string;
  managers: string[];
}

export interface Prediction {
  predicted: JsonObject;
  conflicts: Conflict[];
  /** Paths whose live value was kept because another manager owns them (ignoreOtherManagers). */
  keptForOthers: { path: string; managers: string[] }[];
  /** Live fields absent from the repo, kept because we never owned them (T10): "unmanaged drift" info. */
  unmanaged: string[];
}

export function predictApply(desired: JsonObject, live: JsonObject, options: PredictOptions): Prediction {
  const out: Prediction = { predicted: {}, conflicts: [], keptForOthers: [], unmanaged: [] };
  out.predicted = mergeValue(live, desired, [], '', '', options, out) as JsonObject;
  return out;
}

function ignoredManagers(options: PredictOptions, managers: string[]): string[] {
  const ig = options.ignoreOtherManagers;
  if (!ig) return [];
  if (ig === true) return managers;
  return managers.filter((m) => ig.includes(m));
}

function removable(options: PredictOptions, tokens: string[]): boolean {
  const o = options.ownership;
  if (o.mode === 'none') return true;
  return weOwn(o, tokens) && otherOwners(o, tokens).length === 0;
}

function mergeValue(l: JsonValue | undefined, d: JsonValue, tokens: string[], dotted: string, human: string, options: PredictOptions, out: Prediction): JsonValue {
  if (l === undefined) return d;
  if (isObject(l) && isObject(d)) {
    const result: JsonObject = {};
    for (const [k, dv] of Object.entries(d)) {
      result[k] = mergeValue(l[k], dv, [...tokens, `f:${k}`], dotted === '' ? k : `${dotted}.${k}`, human === '' ? k : `${human}.${k}`, options, out);
    }
    for (const [k, lv] of Object.entries(l)) {
      if (k in d) continue;
      const t = [...tokens, `f:${k}`];
      if (removable(options, t)) continue;
      result[k] = lv;
      if (options.ownership.mode !== 'none' && !weOwn(options.ownership, t)) out.unmanaged.push(human === '' ? k : `${human}.${k}`);
    }
    return result;
  }
  if (Array.isArray(l) && Array.isArray(d)) {
    const keys = options.listKeys(dotted);
    if (keys) {
      const merged = mergeKeyedList(l, d, keys, tokens, dotted, human, options, out);
      if (merged) return merged;
    }
  }
  if (!deepEqual(l, d) && options.ownership.mode === 'managed-fields') {
    const owners = otherOwners(options.ownership, tokens);
    if (owners.length > 0) {
      const ignored = ignoredManagers(options, owners);
      if (ignored.length > 0) {
        out.keptForOthers.push({ path: human, managers: ignored });
        return l;
      }
      out.conflicts.push({ path: human, managers: owners });
    }
  }
  return d;
}

function mergeKeyedList(l: JsonValue[], d: JsonValue[], keys: string[], tokens: string[], dotted: string, human: string, options: PredictOptions, out: Prediction): JsonValue[] | null {
  const tl = l.map((x) => itemToken(x, keys));
  const td = d.map((x) => itemToken(x, keys));
  if (tl.some((t) => t === null) || td.some((t) => t === null)) return null;
  if (new Set(tl).size !== tl.length || new Set(td).size !== td.length) return null;
  const dByToken = new Map(d.map((x, i) => [td[i] as string, x]));
  const lByToken = new Map(l.map((x, i) => [tl[i] as string, x]));
  const mergedOf = (t: string): JsonValue => {
    const item = dByToken.get(t) as JsonValue;
    const label = `${human}[${t.slice(2)}]`;
    return mergeValue(lByToken.get(t), item, [...tokens, t], dotted, label, options, out);
  };
  const commonL = (tl as string[]).filter((t) => dByToken.has(t));
  const commonD = (td as string[]).filter((t) => lByToken.has(t));
  const sameOrder = canonicalJson(commonL) === canonicalJson(commonD);
  const kept = (tl as string[]).filter((t) => !dByToken.has(t) && !removable(options, [...tokens, t]));
  if (sameOrder) {
    const result: JsonValue[] = [];
    for (const t of tl as string[]) {
      if (dByToken.has(t)) result.push(mergedOf(t));
      else if (kept.includes(t)) result.push(lByToken.get(t) as JsonValue);
    }
    for (const t of td as string[]) if (!lByToken.has(t)) result.push(mergedOf(t));
    // New items go where the repo puts them relative to the items around them.
    return orderLike(result, keys, td as string[]);
  }
  return [...(td as string[]).map(mergedOf), ...kept.map((t) => lByToken.get(t) as JsonValue)];
}

/** Place the repo's items in the repo's order, keeping live-only items after their live predecessor. */
function orderLike(items: JsonValue[], keys: string[], desiredOrder: string[]): JsonValue[] {
  const tokens = items.map((x) => itemToken(x, keys) as string);
  const desiredSet = new Set(desiredOrder);
  const desiredItems = desiredOrder.map((t) => items[tokens.indexOf(t)] as JsonValue);
  const result: JsonValue[] = [];
  let di = 0;
  for (let i = 0; i < items.length; i++) {
    const t = tokens[i] as string;
    if (desiredSet.has(t)) result.push(desiredItems[di++] as JsonValue);
    else result.push(items[i] as JsonValue);
  }
  return result;
}
