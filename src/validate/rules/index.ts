// Every rule kubeplan knows, in one list: the API server's own rules, cross-object rules, opt-in hygiene rules.
// Whether a rule runs is decided by RuleMeta.enabledByDefault and the `rules:` section of .kubeplan.yaml.
import { apiServerRules } from './api-server/index.ts';
import { crossObjectRules } from './cross-object/index.ts';
import { hygieneRules } from './hygiene/index.ts';
import type { Rule } from './rule.ts';

export const allRules: readonly Rule[] = [...apiServerRules, ...crossObjectRules, ...hygieneRules];
