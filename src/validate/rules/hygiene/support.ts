// Shared walk for the opt-in hygiene rules: every container of every pod template in the graph.
import { getObject } from '../../../core/objects.ts';
import type { JsonObject } from '../../../core/types.ts';
import { containersOf, describeNode, type ContainerGroup, type ContainerRef, type PodTemplate } from '../../../graph/index.ts';
import type { RuleContext } from '../rule.ts';
import { graphOf } from '../cross-object/support.ts';

export function eachTemplate(ctx: RuleContext, fn: (t: PodTemplate) => void): void {
  for (const t of graphOf(ctx).podTemplates()) fn(t);
}

export function eachContainer(ctx: RuleContext, groups: readonly ContainerGroup[], fn: (c: ContainerRef, t: PodTemplate, who: string) => void): void {
  eachTemplate(ctx, (t) => {
    for (const c of containersOf(t.spec, t.specPath, groups)) fn(c, t, `${describeNode(t.owner)}: ${c.group === 'containers' ? 'container' : 'init container'} "${c.name}"`);
  });
}

export function securityContext(c: ContainerRef): JsonObject | undefined {
  return getObject(c.container, 'securityContext');
}

export const PROBE_SKIP_KINDS = new Set(['Job', 'CronJob']);
