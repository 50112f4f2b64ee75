// Shared plumbing for the API-server rules: one object at a time, findings at a FieldPath.
import { getObject, getString, groupOf, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonValue, Manifest, RuleMeta, Severity } from '../../../core/types.ts';
import { perObject, type Rule, type RuleContext } from '../rule.ts';
import type { FieldPath } from './field.ts';

export interface ReportOptions {
  /** Point at the mapping key instead of its value (label keys, misplaced fields). */
  target?: 'key' | 'value';
  /** The API server only warns about this one. */
  severity?: Severity;
}

export type Reporter = (path: FieldPath, message: string, options?: ReportOptions) => void;

/** What every check receives about the object it looks at. */
export interface ObjectInfo {
  manifest: Manifest;
  object: JsonObject;
  apiVersion: string;
  kind: string;
  /** API group, "" for the core group. */
  group: string;
  metadata: JsonObject | undefined;
  /** Kubernetes minor version the run validates against (36 for "1.36"). */
  minor: number;
  ctx: RuleContext;
}

/** A per-object API-server rule: on by default, severity error, help = its docs/rules/<id>.md. */
export function apiServerRule(id: string, description: string, help: string, check: (info: ObjectInfo, report: Reporter) => void): Rule {
  const meta: RuleMeta = { id, description, defaultSeverity: 'error', enabledByDefault: true, help };
  return perObject(meta, (manifest, ctx) => {
    const object = manifest.object;
    const base = baseOf(object);
    if (base === null) return;
    const info: ObjectInfo = {
      manifest,
      object,
      apiVersion: base.apiVersion,
      kind: base.kind,
      group: base.group,
      metadata: base.metadata,
      minor: minorOf(ctx.settings.kubernetesVersion),
      ctx,
    };
    check(info, (path, message, options = {}) => {
      ctx.report({ manifest, path: path.json, message, ...(options.target ? { target: options.target } : {}), ...(options.severity ? { severity: options.severity } : {}) });
    });
  });
}

/** API groups of configuration read by client-side tools, not served by any API server. */
const CLIENT_SIDE_GROUPS = new Set(['kustomize.config.k8s.io', 'config.kubernetes.io', 'kpt.dev']);

type ObjectBase = Pick<ObjectInfo, 'apiVersion' | 'kind' | 'group' | 'metadata'>;

/**
 * What every rule reads first about an object, once per object rather than once per rule and object (23 rules):
 * null for objects no API-server rule looks at. Objects are never modified after parsing.
 */
const bases = new WeakMap<JsonObject, ObjectBase | null>();
// The runner takes objects one by one through every rule: the last object answers most lookups.
let lastObject: JsonObject | undefined;
let lastBase: ObjectBase | null = null;

function baseOf(object: JsonObject): ObjectBase | null {
  if (object === lastObject) return lastBase;
  let base = bases.get(object);
  if (base === undefined) {
    const apiVersion = getString(object, 'apiVersion');
    const kind = getString(object, 'kind');
    const group = apiVersion === undefined ? '' : groupOf(apiVersion);
    // Objects without apiVersion/kind are the schema rule's finding; nothing server-side to add.
    // Files for client-side tools (kustomization.yaml) never reach an API server.
    base = apiVersion === undefined || kind === undefined || CLIENT_SIDE_GROUPS.has(group) ? null : { apiVersion, kind, group, metadata: getObject(object, 'metadata') };
    bases.set(object, base);
  }
  lastObject = object;
  lastBase = base;
  return base;
}

let lastVersion: string | undefined;
let lastMinor = 0;

/** "1.36" → 36; unknown shapes mean "the newest". */
export function minorOf(version: string): number {
  if (version === lastVersion) return lastMinor;
  const m = /^v?1\.(\d+)/.exec(version.trim());
  lastMinor = m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
  lastVersion = version;
  return lastMinor;
}

export function isInt(v: JsonValue | undefined): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Entries of a mapping value (empty for anything else). */
export function entriesOf(v: JsonValue | undefined): [string, JsonValue][] {
  return isObject(v) ? Object.entries(v) : [];
}

/** Items of a sequence value that are mappings, with their indexes. */
export function objectItems(v: JsonValue | undefined): [number, JsonObject][] {
  if (!Array.isArray(v)) return [];
  const out: [number, JsonObject][] = [];
  v.forEach((item, i) => {
    if (isObject(item)) out.push([i, item]);
  });
  return out;
}

/** True for a kind in one of the given API groups (at most three: no rest array on a path taken for every object and rule). */
export function is(info: ObjectInfo, kind: string, group: string, group2?: string, group3?: string): boolean {
  return info.kind === kind && (info.group === group || (group2 !== undefined && info.group === group2) || (group3 !== undefined && info.group === group3));
}

export const APPS = ['apps', 'extensions'];
