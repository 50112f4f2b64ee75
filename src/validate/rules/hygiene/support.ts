// Shared walk for the opt-in hygiene rules: every container of every pod template in the graph.
import { getObject } from '../../../core/objects.ts';
import type { JsonObject } from '../../../core/types.ts';
import { describeNode, type PodTemplate } from '../../../graph/index.ts';
import { containerLabel, containersOf, type ContainerList, type ContainerLocation } from '../../../k8s/pod-specs.ts';
import type { RuleContext } from '../rule.ts';
import { graphOf } from '../cross-object/support.ts';

export function eachTemplate(ctx: RuleContext, fn: (t: PodTemplate) => void): void {
  for (const t of graphOf(ctx).podTemplates()) fn(t);
}

export function eachContainer(ctx: RuleContext, lists: readonly ContainerList[], fn: (c: ContainerLocation, t: PodTemplate, who: string) => void): void {
  eachTemplate(ctx, (t) => {
    for (const c of containersOf({ spec: t.spec, path: t.specPath }, lists)) fn(c, t, `${describeNode(t.owner)}: ${containerLabel(c)}`);
  });
}

export function securityContext(c: ContainerLocation): JsonObject | undefined {
  return getObject(c.container, 'securityContext');
}

export const PROBE_SKIP_KINDS = new Set(['Job', 'CronJob']);
