// Per-object results one computePlan call leaves for the next on the same input. planFromCluster plans twice: once
// offline to find what changed, and again once the server dry-ran those objects; in the second call only the objects
// with a new dry-run answer need planning again (99 of 1,000 in bench/plan.ts), the rest are taken from the first.
import { randomBytes } from 'node:crypto';
import type { JsonObject, Manifest } from '../core/types.ts';
import type { DryRunResult, KindInfoFn, LiveObject, PlanChange, PlanSettings } from './types.ts';

/** What an object's planned change depends on besides the repo, the live objects, the settings and kindInfo. */
interface Entry {
  live: JsonObject | undefined;
  dryRun: DryRunResult | undefined;
  /** The change as planOne returned it, before the whole-plan passes add warnings and steps. */
  change: PlanChange;
  withoutOwnership: boolean;
}

/** The inputs the entries hold for: another desired list, live list, settings or kindInfo starts afresh. */
interface Basis {
  desired: readonly Manifest[];
  live: readonly LiveObject[];
  settings: PlanSettings;
  kindInfo: KindInfoFn | undefined;
}

export class PlanReuse {
  /** One salt for every plan made with this object, so the desired hashes of reused changes stay valid. */
  readonly hashSalt = randomBytes(16).toString('hex');
  private basis: Basis | undefined;
  private entries = new WeakMap<JsonObject, Entry>();
  /** Changes taken from an earlier call (tests check that the second call of a plan reuses the unchanged objects). */
  reused = 0;

  /** Start using the entries for these inputs; they are dropped when the inputs are not the ones they were made for. */
  bind(basis: Basis): void {
    const b = this.basis;
    if (b && b.desired === basis.desired && b.live === basis.live && b.settings === basis.settings && b.kindInfo === basis.kindInfo) return;
    this.basis = basis;
    this.entries = new WeakMap();
  }

  /** The change planned earlier for this desired object, when its live object and dry-run answer are the same ones. */
  get(desired: JsonObject, live: JsonObject | undefined, dryRun: DryRunResult | undefined): { change: PlanChange; withoutOwnership: boolean } | undefined {
    const e = this.entries.get(desired);
    if (!e || e.live !== live || e.dryRun !== dryRun) return undefined;
    this.reused++;
    return { change: copyChange(e.change), withoutOwnership: e.withoutOwnership };
  }

  set(desired: JsonObject, live: JsonObject | undefined, dryRun: DryRunResult | undefined, change: PlanChange, withoutOwnership: boolean): void {
    this.entries.set(desired, { live, dryRun, change: copyChange(change), withoutOwnership });
  }
}

/** A copy whose lists the whole-plan passes may change (warnings added, steps set) without touching the entry. */
function copyChange(c: PlanChange): PlanChange {
  return { ...c, reasons: [...c.reasons], warnings: [...c.warnings], patch: [...c.patch], changes: [...c.changes] };
}
