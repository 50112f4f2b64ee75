// PlanReuse: a second computePlan on the same input plans again only the objects whose dry-run answer (or live
// object) is new, and gives exactly the plan a fresh call gives. The bundled example repo and its saved live state
// are the input: updates, creates, noops, and selector-impact warnings that the whole-plan passes add.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseText } from '../manifests/parse.ts';
import { computePlan } from './compute.ts';
import { loadLiveSnapshot } from './live.ts';
import { PlanReuse } from './reuse.ts';
import type { LiveSource, Plan, PlanInput, PlanSettings } from './types.ts';

const EXAMPLE = join(import.meta.dirname, '../../fixtures/example-app');

async function input(): Promise<PlanInput & { live: LiveSource }> {
  const dir = join(EXAMPLE, 'manifests');
  const desired = readdirSync(dir).flatMap((f) => parseText(join(dir, f), readFileSync(join(dir, f), 'utf8')).manifests);
  const live = await loadLiveSnapshot([join(EXAMPLE, 'live')]);
  const settings: PlanSettings = { defaultNamespace: 'default' };
  return { desired, live, settings, now: () => new Date('2026-01-01T00:00:00Z') };
}

/** The plan as JSON without what differs between calls by design (the hash salt, and hashes made with it). */
function comparable(p: Plan): unknown {
  return JSON.parse(JSON.stringify({ ...p, hashSalt: undefined, changes: p.changes.map((c) => ({ ...c, desiredHash: undefined })) }));
}

describe('PlanReuse', () => {
  it('the same input twice: every object is taken from the first call, and the plans are equal', async () => {
    const base = await input();
    const reuse = new PlanReuse();
    const first = computePlan({ ...base, reuse });
    expect(reuse.reused).toBe(0);
    expect(first.changes.some((c) => c.warnings.length > 0)).toBe(true); // whole-plan warnings are in play
    const second = computePlan({ ...base, reuse });
    expect(reuse.reused).toBe(first.changes.length);
    expect(second).toEqual(first);
    // Warnings the whole-plan passes add to reused changes do not pile up in the entries.
    expect(computePlan({ ...base, reuse })).toEqual(first);
  });

  it('a new dry-run answer for one object: that object alone is planned again, as a fresh call plans it', async () => {
    const base = await input();
    const reuse = new PlanReuse();
    const first = computePlan({ ...base, reuse });
    const target = first.changes.find((c) => c.action === 'update');
    if (!target) throw new Error('the example plan has no update');
    base.live.dryRun = { [target.key]: { ok: false, status: 422, reason: 'Invalid', message: 'spec.template: Invalid value' } };
    const second = computePlan({ ...base, reuse });
    expect(reuse.reused).toBe(first.changes.length - 1);
    const changed = second.changes.find((c) => c.key === target.key);
    expect(changed?.warnings.map((w) => w.rule)).toContain('dry-run-failed');
    expect(comparable(second)).toEqual(comparable(computePlan(base)));
  });

  it('other settings, desired or live objects: nothing is reused', async () => {
    const base = await input();
    const reuse = new PlanReuse();
    computePlan({ ...base, reuse });
    computePlan({ ...base, settings: { ...base.settings }, reuse });
    expect(reuse.reused).toBe(0);
    computePlan({ ...base, desired: [...base.desired], reuse });
    expect(reuse.reused).toBe(0);
    const other = computePlan({ ...base, live: { ...base.live, objects: [...base.live.objects] }, reuse });
    expect(reuse.reused).toBe(0);
    expect(comparable(other)).toEqual(comparable(computePlan(base)));
  });

  it('one salt for every plan made with it, a new one for each PlanReuse', async () => {
    const base = await input();
    const reuse = new PlanReuse();
    const a = computePlan({ ...base, reuse });
    const b = computePlan({ ...base, live: { ...base.live, objects: [...base.live.objects] }, reuse });
    expect(b.hashSalt).toBe(a.hashSalt);
    expect(b.changes.map((c) => c.desiredHash)).toEqual(a.changes.map((c) => c.desiredHash));
    expect(computePlan({ ...base, reuse: new PlanReuse() }).hashSalt).not.toBe(a.hashSalt);
  });
});
