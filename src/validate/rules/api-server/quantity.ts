import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../../core/types.ts';
import { formatQuantity, parseQuantityDetailed, type Quantity, quantitySign, scaledValue } from '../../../k8s/quantity.ts';
import { isIntegerResourceName } from '../../../k8s/resources.ts';
import { FieldPath, forbidden, invalid } from './field.ts';
import { apiServerRule, entriesOf, is, type ObjectInfo, objectItems, type Reporter } from './util.ts';
import { containerSites } from './walk.ts';

export const help = `# quantity

**Resource quantities the API server cannot parse, and values it refuses.**

The schemas type a quantity as a string (or number) with no pattern, so \`memory: 1GB\` passes schema
validation and is then rejected by the API server when it decodes the object. This rule parses every
quantity exactly as Kubernetes does (\`resource.ParseQuantity\`):

- a number with an optional sign and decimal point: \`1\`, \`0.5\`, \`+1\`, \`.5\`;
- followed by a decimal suffix \`n u m k M G T P E\`, a binary suffix \`Ki Mi Gi Ti Pi Ei\`, or an exponent \`e3\` / \`E-3\`.

So \`500m\`, \`1Gi\`, \`1e3\` and \`0.5\` are valid; \`1GB\`, \`100mi\`, \`1000ms\`, \`half\` and \`1 Gi\` are not.
Case matters: \`m\` is milli, \`M\` is mega, and \`Mi\` is mebi.

Where the API server adds constraints, they are checked too:

- container, pod-level and overhead requests and limits, and ResourceQuota \`hard\` values may not be negative;
  counted resources (\`pods\`, \`services\`, …) and extended resources (\`nvidia.com/gpu\`) must be whole numbers;
- a PersistentVolumeClaim's \`storage\` request must be greater than zero;
- an \`emptyDir.sizeLimit\` may not be negative;
- HorizontalPodAutoscaler metric targets (\`value\`, \`averageValue\`) must be positive.

Quantities are also checked in LimitRanges, PersistentVolume capacities, StatefulSet and ephemeral volume
claim templates, \`resourceFieldRef.divisor\` and RuntimeClass overheads.

## Examples

\`\`\`yaml
resources:
  requests:
    memory: 1GB     # …requests[memory]: Invalid value: "1GB": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'
    cpu: -1         # …requests[cpu]: Invalid value: "-1": must be greater than or equal to 0
  limits:
    nvidia.com/gpu: 0.5   # must be an integer
\`\`\`
`;

type Constraint = 'none' | 'nonNegativeResource' | 'positiveStorage' | 'sizeLimit' | 'positiveTarget';

interface Site {
  value: JsonValue | undefined;
  path: FieldPath;
  constraint: Constraint;
  resource?: string;
}

function parsed(site: Site, report: Reporter): Quantity | null {
  const v = site.value;
  if (typeof v !== 'string' && typeof v !== 'number') return null; // absent, or a type error for the schema rule
  const r = parseQuantityDetailed(v);
  if (!r.ok) {
    report(site.path, invalid(site.path, v, r.message));
    return null;
  }
  return r.quantity;
}

function check(site: Site, report: Reporter): void {
  const q = parsed(site, report);
  if (q === null) return;
  const shown = formatQuantity(q);
  switch (site.constraint) {
    case 'nonNegativeResource':
      if (quantitySign(q) < 0) report(site.path, invalid(site.path, shown, 'must be greater than or equal to 0'));
      if (site.resource !== undefined && isIntegerResourceName(site.resource) && scaledValue(q, -3) % 1000n !== 0n) report(site.path, invalid(site.path, shown, 'must be an integer'));
      break;
    case 'positiveStorage':
      if (quantitySign(q) <= 0) report(site.path, invalid(site.path, shown, 'must be greater than zero'));
      break;
    case 'sizeLimit':
      if (quantitySign(q) < 0) report(site.path, forbidden(site.path, 'SizeLimit field must be a valid resource quantity'));
      break;
    case 'positiveTarget':
      if (quantitySign(q) <= 0) report(site.path, invalid(site.path, shown, 'must be positive'));
      break;
    case 'none':
      break;
  }
}

/** Every value of a resource list (requests, limits, hard, capacity, …). */
function resourceList(value: JsonValue | undefined, path: FieldPath, constraint: Constraint): Site[] {
  return entriesOf(value).map(([resource, v]) => ({ value: v, path: path.key(resource), constraint, resource }));
}

function requirements(value: JsonValue | undefined, path: FieldPath, constraint: Constraint): Site[] {
  if (!isObject(value)) return [];
  return [...resourceList(value.limits, path.child('limits'), constraint), ...resourceList(value.requests, path.child('requests'), constraint)];
}

/** A PVC spec (also inside claim templates): storage must be positive, other values just parse. */
function claimSpec(spec: JsonObject | undefined, path: FieldPath): Site[] {
  const resources = getObject(spec, 'resources');
  const rp = path.child('resources');
  return [
    ...entriesOf(resources?.requests).map(([r, v]): Site => ({ value: v, path: rp.child('requests').key(r), constraint: r === 'storage' ? 'positiveStorage' : 'none' })),
    ...resourceList(resources?.limits, rp.child('limits'), 'none'),
  ];
}

function divisors(items: JsonValue | undefined, path: FieldPath, ref: (item: JsonObject) => JsonValue | undefined): Site[] {
  return objectItems(items).flatMap(([i, item]) => {
    const r = ref(item);
    return isObject(r) && r.divisor !== undefined ? [{ value: r.divisor, path: path.index(i).child(...refPath(item), 'divisor'), constraint: 'none' as const }] : [];
  });
}
const refPath = (item: JsonObject): string[] => (isObject(item.valueFrom) ? ['valueFrom', 'resourceFieldRef'] : ['resourceFieldRef']);

function podSites(info: ObjectInfo): Site[] {
  const sites: Site[] = [];
  const seenPods = new Set<string>();
  for (const c of containerSites(info)) {
    sites.push(...requirements(c.container.resources, c.at.child('resources'), 'nonNegativeResource'));
    sites.push(...divisors(c.container.env, c.at.child('env'), (e) => getObject(e, 'valueFrom')?.resourceFieldRef));
    const podKey = c.pod.path.join('.');
    if (seenPods.has(podKey)) continue;
    seenPods.add(podKey);
    const spec = c.pod.spec;
    const sp = FieldPath.of(c.pod.path);
    sites.push(...requirements(spec.resources, sp.child('resources'), 'nonNegativeResource'));
    sites.push(...resourceList(spec.overhead, sp.child('overhead'), 'nonNegativeResource'));
    for (const [i, vol] of objectItems(spec.volumes)) {
      const vp = sp.child('volumes').index(i);
      const emptyDir = getObject(vol, 'emptyDir');
      if (emptyDir?.sizeLimit !== undefined) sites.push({ value: emptyDir.sizeLimit, path: vp.child('emptyDir', 'sizeLimit'), constraint: 'sizeLimit' });
      const claim = getObject(getObject(getObject(vol, 'ephemeral'), 'volumeClaimTemplate'), 'spec');
      sites.push(...claimSpec(claim, vp.child('ephemeral', 'volumeClaimTemplate', 'spec')));
      sites.push(...divisors(getObject(vol, 'downwardAPI')?.items, vp.child('downwardAPI', 'items'), (it) => it.resourceFieldRef));
      for (const [j, source] of objectItems(getObject(vol, 'projected')?.sources)) {
        sites.push(...divisors(getObject(source, 'downwardAPI')?.items, vp.child('projected', 'sources').index(j).child('downwardAPI', 'items'), (it) => it.resourceFieldRef));
      }
    }
  }
  return sites;
}

function objectSites(info: ObjectInfo): Site[] {
  const spec = getObject(info.object, 'spec');
  const sp = FieldPath.root().child('spec');
  if (is(info, 'PersistentVolumeClaim', '')) return claimSpec(spec, sp);
  if (is(info, 'StatefulSet', 'apps')) {
    return objectItems(spec?.volumeClaimTemplates).flatMap(([i, t]) => claimSpec(getObject(t, 'spec'), sp.child('volumeClaimTemplates').index(i).child('spec')));
  }
  if (is(info, 'PersistentVolume', '')) return resourceList(spec?.capacity, sp.child('capacity'), 'none');
  if (is(info, 'ResourceQuota', '')) return resourceList(spec?.hard, sp.child('hard'), 'nonNegativeResource');
  if (is(info, 'LimitRange', '')) {
    return objectItems(spec?.limits).flatMap(([i, limit]) =>
      ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'].flatMap((k) => resourceList(limit[k], sp.child('limits').index(i).child(k), 'none')),
    );
  }
  if (is(info, 'RuntimeClass', 'node.k8s.io')) return resourceList(getObject(getObject(info.object, 'overhead'), 'podFixed'), FieldPath.root().child('overhead', 'podFixed'), 'none');
  if (is(info, 'HorizontalPodAutoscaler', 'autoscaling') && info.apiVersion !== 'autoscaling/v1') {
    return objectItems(spec?.metrics).flatMap(([i, metric]) =>
      ['resource', 'containerResource', 'pods', 'object', 'external'].flatMap((type) => {
        const target = getObject(getObject(metric, type), 'target');
        const tp = sp.child('metrics').index(i).child(type, 'target');
        return ['value', 'averageValue'].flatMap((k): Site[] => (target?.[k] === undefined ? [] : [{ value: target[k], path: tp.child(k), constraint: 'positiveTarget' }]));
      }),
    );
  }
  return [];
}

export const quantity = apiServerRule('quantity', 'Resource quantities parse as the API server parses them, and are not negative where it forbids that.', help, (info, report) => {
  for (const site of [...podSites(info), ...objectSites(info)]) check(site, report);
});
