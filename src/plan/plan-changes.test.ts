// planChanges: computePlan one object at a time (planFromCluster dry-runs changed objects while the rest are planned).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseText } from '../manifests/parse.ts';
import { computePlan, OBJECTS_PLANNED, planChanges } from './compute.ts';
import { loadLiveSnapshot } from './live.ts';
import type { PlanChange, PlanInput } from './types.ts';

const EXAMPLE = join(import.meta.dirname, '../../fixtures/example-app');

describe('planChanges', () => {
  it('yields every desired object once, with its final action, then OBJECTS_PLANNED, and returns what computePlan returns', async () => {
    const dir = join(EXAMPLE, 'manifests');
    const desired = readdirSync(dir).flatMap((f) => parseText(join(dir, f), readFileSync(join(dir, f), 'utf8')).manifests);
    const input: PlanInput = { desired, live: await loadLiveSnapshot([join(EXAMPLE, 'live')]), settings: { defaultNamespace: 'default', pruneSelector: 'app.kubernetes.io/part-of=shop' }, now: () => new Date('2026-01-01T00:00:00Z') };
    const yielded: { key: string; action: string }[] = [];
    let marks = 0;
    const steps = planChanges(input);
    let r = steps.next();
    for (; !r.done; r = steps.next()) {
      if (r.value === OBJECTS_PLANNED) marks++;
      else {
        expect(marks, 'every object before OBJECTS_PLANNED').toBe(0);
        yielded.push({ key: r.value.key, action: r.value.action });
      }
    }
    expect(marks).toBe(1);
    const plan = r.value;
    const strip = (p: typeof plan): unknown => ({ ...p, hashSalt: '', changes: p.changes.map((c: PlanChange) => ({ ...c, desiredHash: '' })) });
    expect(strip(plan)).toEqual(strip(computePlan(input)));
    // One per desired object (prunes are not yielded), and the action each has in the plan.
    const desiredChanges = plan.changes.filter((c) => c.action !== 'delete');
    expect(yielded).toHaveLength(desiredChanges.length);
    expect(new Set(yielded.map((y) => y.key)).size).toBe(yielded.length);
    for (const y of yielded) expect(plan.changes.find((c) => c.key === y.key)?.action).toBe(y.action);
    expect(new Set(yielded.map((y) => y.action)).size).toBeGreaterThan(1);
  });
});
