import { getObject } from '../../../core/objects.ts';
import type { JsonValue } from '../../../core/types.ts';
import { isValidPercent } from '../../../k8s/names.ts';
import { FieldPath, invalid, notSupported } from './field.ts';
import { apiServerRule, isInt, type Reporter } from './util.ts';

export const help = `# pdb-spec

**PodDisruptionBudget settings the API server rejects.**

- \`minAvailable\` and \`maxUnavailable\` cannot both be set;
- each is a non-negative integer or a percentage string such as \`"50%"\`, at most 100%;
- \`unhealthyPodEvictionPolicy\` is \`IfHealthyBudget\` or \`AlwaysAllow\`.

Selector syntax is checked by \`label-syntax\`; whether the budget selects any pod, by \`pdb-selects-no-pods\`.

## Example

\`\`\`yaml
kind: PodDisruptionBudget
spec:
  minAvailable: 2
  maxUnavailable: 1   # spec: Invalid value: …: minAvailable and maxUnavailable cannot be both set
\`\`\`
`;

function checkIntOrPercent(v: JsonValue | undefined, p: FieldPath, report: Reporter): void {
  if (typeof v === 'string') {
    const errs = isValidPercent(v);
    for (const msg of errs) report(p, invalid(p, v, msg));
    if (errs.length === 0 && Number(v.slice(0, -1)) > 100) report(p, invalid(p, v, 'must not be greater than 100%'));
  } else if (isInt(v) && v < 0) {
    report(p, invalid(p, v, 'must be greater than or equal to 0'));
  }
}

export const pdbSpec = apiServerRule('pdb-spec', 'PodDisruptionBudgets set one of minAvailable and maxUnavailable, as a count or a percentage.', help, (info, report) => {
  if (info.group !== 'policy' || info.kind !== 'PodDisruptionBudget') return;
  const spec = getObject(info.object, 'spec');
  if (spec === undefined) return;
  const sp = FieldPath.root().child('spec');
  const min = spec.minAvailable;
  const max = spec.maxUnavailable;
  const set = (v: JsonValue | undefined): boolean => v !== undefined && v !== null;
  if (set(min) && set(max)) {
    report(sp.child('maxUnavailable'), invalid(sp, { minAvailable: min ?? null, maxUnavailable: max ?? null }, 'minAvailable and maxUnavailable cannot be both set'), { target: 'key' });
  }
  checkIntOrPercent(min, sp.child('minAvailable'), report);
  checkIntOrPercent(max, sp.child('maxUnavailable'), report);
  const policy = spec.unhealthyPodEvictionPolicy;
  if (typeof policy === 'string' && policy !== 'AlwaysAllow' && policy !== 'IfHealthyBudget') {
    report(sp.child('unhealthyPodEvictionPolicy'), notSupported(sp.child('unhealthyPodEvictionPolicy'), policy, ['AlwaysAllow', 'IfHealthyBudget']));
  }
});
