// Test helpers: YAML in, plan out.
import { parseText } from '../../manifests/parse.ts';
import type { JsonObject, Manifest } from '../../core/types.ts';
import { computePlan } from '../compute.ts';
import type { KindInfoFn, Plan, PlanChange, PlanSettings } from '../types.ts';

export function manifests(yaml: string, file = 'repo.yaml'): Manifest[] {
  const r = parseText(file, yaml);
  if (r.findings.length > 0) throw new Error(r.findings.map((f) => f.message).join('\n'));
  return r.manifests;
}

export function objects(yaml: string): JsonObject[] {
  return manifests(yaml, 'live.yaml').map((m) => m.object);
}

export function plan(desiredYaml: string, liveYaml: string, settings: Partial<PlanSettings> = {}, kindInfo?: KindInfoFn): Plan {
  return computePlan({
    desired: manifests(desiredYaml),
    live: objects(liveYaml).map((object) => ({ object })),
    settings: { defaultNamespace: 'default', ...settings },
    kindInfo,
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
}

/** The one change of a single-object plan (or the one with this name). */
export function only(p: Plan, name?: string): PlanChange {
  const list = name === undefined ? p.changes : p.changes.filter((c) => c.object.name === name);
  if (list.length !== 1) throw new Error(`expected one change${name ? ` named ${name}` : ''}, got ${p.changes.map((c) => `${c.action} ${c.key}`).join(', ')}`);
  return list[0] as PlanChange;
}

export function paths(c: PlanChange): string[] {
  return c.changes.map((x) => `${x.op} ${x.path}`);
}
