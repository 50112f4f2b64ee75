// Every rule kubeplan knows, in one list: the API server's own rules, cross-object rules, opt-in hygiene rules.
// Whether a rule runs is decided by RuleMeta.enabledByDefault and the `rules:` section of .kubeplan.yaml.
import { apiServerRules } from './api-server/index.ts';
import { crossObjectRules } from './cross-object/index.ts';
import { hygieneRules } from './hygiene/index.ts';
import type { Rule } from './rule.ts';

export const allRules: readonly Rule[] = [...apiServerRules, ...crossObjectRules, ...hygieneRules];

/**
 * Rules whose findings about an object depend on that object alone (and the run's settings and the rule's options):
 * they never read ctx.graph, and see ctx.manifests only one object at a time (perObject), so any split of the
 * manifests into contiguous shards, run shard by shard and concatenated in order, gives the findings of one run over
 * all of them. Large inputs run them in worker threads (src/validate/parallel). The hygiene rules look at one pod
 * template at a time too, but through the resource graph (its effective namespaces, kustomizations, configured
 * workload kinds), which needs every object: they are graph rules.
 */
export const objectRules: readonly Rule[] = apiServerRules;

/** Every other rule: they need the whole run (its resource graph), and run once over all manifests. */
export const graphRules: readonly Rule[] = allRules.filter((r) => !objectRules.includes(r));
