import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../../core/types.ts';
import { compareQuantities, formatQuantity, parseQuantity, type Quantity } from '../../../k8s/quantity.ts';
import { containerResourceNameErrors, isHugePageResourceName, isOvercommitAllowed, isStandardLimitRangeType, quotaResourceNameErrors, resourceNameErrors } from '../../../k8s/resources.ts';
import { isQualifiedName } from '../../../k8s/validation.ts';
import { duplicate, FieldPath, forbidden, invalid, required } from './field.ts';
import { apiServerRule, entriesOf, is, type ObjectInfo, objectItems, type Reporter } from './util.ts';
import { containerSites } from './walk.ts';

export const help = `# resource-requirements

**Requests above limits, unknown resource names, and inconsistent LimitRanges.**

The API server checks how resource values relate to each other, which no schema can express:

- a request may not exceed its limit (\`requests.cpu: 2\` with \`limits.cpu: 1\` is rejected);
- extended resources such as \`nvidia.com/gpu\`, and hugepages, cannot be overcommitted: the request must equal
  the limit, and a request needs a limit;
- a container may only name \`cpu\`, \`memory\`, \`ephemeral-storage\`, \`hugepages-<size>\` or a fully qualified
  extended resource (\`storage\`, \`gpu\` or \`cpus\` are rejected); hugepages need a cpu or memory request or limit;
- a PersistentVolumeClaim (and every claim template) must request \`storage\`;
- ResourceQuota \`hard\` keys must be quota resource names (\`requests.cpu\`, \`pods\`, \`count/deployments.apps\`, …);
- LimitRange entries: a known \`type\` (\`Container\`, \`Pod\`, \`PersistentVolumeClaim\`) used once, no defaults for
  \`Pod\`, a storage bound for \`PersistentVolumeClaim\`, and \`min ≤ defaultRequest ≤ default ≤ max\`,
  \`maxLimitRequestRatio ≥ 1\`.

Values that do not parse are reported by the \`quantity\` rule and skipped here.

## Example

\`\`\`yaml
resources:
  requests: {cpu: "2", memory: 1Gi, storage: 1Gi}   # …requests[storage]: Invalid value: "storage": must be a standard resource for containers
  limits:   {cpu: "1", memory: 1Gi}                 # …requests: Invalid value: "2": must be less than or equal to cpu limit of 1
\`\`\`
`;

const q = (v: JsonValue | undefined): Quantity | null => (typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : null);
const show = (x: Quantity): string => formatQuantity(x);

function checkRequirements(resources: JsonValue | undefined, path: FieldPath, report: Reporter, names: (n: string) => string[]): void {
  if (!isObject(resources)) return;
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name] of entriesOf(resources.limits)) {
    for (const msg of names(name)) report(limPath.key(name), invalid(limPath.key(name), name, msg), { target: 'key' });
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
    if (isHugePageResourceName(name)) hugePages = true;
  }
  const limits = isObject(resources.limits) ? resources.limits : {};
  for (const [name, value] of entriesOf(resources.requests)) {
    for (const msg of names(name)) report(reqPath.key(name), invalid(reqPath.key(name), name, msg), { target: 'key' });
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
    if (isHugePageResourceName(name)) hugePages = true;
    const request = q(value);
    if (request === null) continue;
    if (name in limits) {
      const limit = q(limits[name]);
      if (limit === null) continue;
      const c = compareQuantities(request, limit);
      if (c !== 0 && !isOvercommitAllowed(name)) report(reqPath.pointing(name), invalid(reqPath, show(request), `must be equal to ${name} limit of ${show(limit)}`));
      else if (c > 0) report(reqPath.pointing(name), invalid(reqPath, show(request), `must be less than or equal to ${name} limit of ${show(limit)}`));
    } else if (!isOvercommitAllowed(name)) {
      report(reqPath.pointing(name), required(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  if (hugePages && !cpuOrMemory) report(path, forbidden(path, 'HugePages require cpu or memory'), { target: 'key' });
}

function checkClaimSpec(spec: JsonObject | undefined, path: FieldPath, report: Reporter): void {
  if (spec === undefined) return;
  const requests = getObject(getObject(spec, 'resources'), 'requests');
  if (requests?.storage === undefined) report(path.child('resources', 'requests'), required(path.child('resources').key('storage')));
}

function checkLimitRange(spec: JsonObject | undefined, report: Reporter): void {
  const types = new Set<string>();
  for (const [i, limit] of objectItems(spec?.limits)) {
    const p = FieldPath.root().child('spec', 'limits').index(i);
    const type = typeof limit.type === 'string' ? limit.type : '';
    const typeErrs = isQualifiedName(type);
    for (const msg of typeErrs) report(p.child('type'), invalid(p.child('type'), type, msg));
    if (typeErrs.length === 0 && !type.includes('/') && !isStandardLimitRangeType(type)) report(p.child('type'), invalid(p.child('type'), type, 'must be a standard limit type or fully qualified'));
    if (types.has(type)) report(p.child('type'), duplicate(p.child('type'), type));
    types.add(type);
    const names = type === 'Pod' || type === 'Container' ? containerResourceNameErrors : resourceNameErrors;
    const lists: Record<string, Map<string, Quantity>> = {};
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) {
      lists[k] = new Map();
      if (type === 'Pod' && (k === 'default' || k === 'defaultRequest')) {
        if (entriesOf(limit[k]).length > 0) report(p.child(k), forbidden(p.child(k), "may not be specified when `type` is 'Pod'"), { target: 'key' });
        continue;
      }
      for (const [name, value] of entriesOf(limit[k])) {
        for (const msg of names(name)) report(p.child(k).key(name), invalid(p.child(k).key(name), name, msg), { target: 'key' });
        const parsed = q(value);
        if (parsed !== null) lists[k]?.set(name, parsed);
      }
    }
    if (type === 'PersistentVolumeClaim' && getObject(limit, 'min')?.storage === undefined && getObject(limit, 'max')?.storage === undefined) {
      report(p, required(p.child('limits'), 'either minimum or maximum storage value is required, but neither was provided'));
    }
    const keys = new Set(Object.values(lists).flatMap((m) => [...m.keys()]));
    for (const k of keys) {
      const min = lists.min?.get(k);
      const max = lists.max?.get(k);
      const def = lists.default?.get(k);
      const defReq = lists.defaultRequest?.get(k);
      const ratio = lists.maxLimitRequestRatio?.get(k);
      const at = (list: string) => p.child(list).key(k);
      if (min && max && compareQuantities(min, max) > 0) report(at('min'), invalid(at('min'), show(min), `min value ${show(min)} is greater than max value ${show(max)}`));
      if (defReq && min && compareQuantities(min, defReq) > 0) report(at('defaultRequest'), invalid(at('defaultRequest'), show(defReq), `min value ${show(min)} is greater than default request value ${show(defReq)}`));
      if (defReq && max && compareQuantities(defReq, max) > 0) report(at('defaultRequest'), invalid(at('defaultRequest'), show(defReq), `default request value ${show(defReq)} is greater than max value ${show(max)}`));
      if (defReq && def && compareQuantities(defReq, def) > 0) report(at('defaultRequest'), invalid(at('defaultRequest'), show(defReq), `default request value ${show(defReq)} is greater than default limit value ${show(def)}`));
      if (def && min && compareQuantities(min, def) > 0) report(at('default'), invalid(at('default'), show(min), `min value ${show(min)} is greater than default value ${show(def)}`));
      if (def && max && compareQuantities(def, max) > 0) report(at('default'), invalid(at('default'), show(max), `default value ${show(def)} is greater than max value ${show(max)}`));
      if (ratio && compareQuantities(ratio, '1') < 0) report(at('maxLimitRequestRatio'), invalid(at('maxLimitRequestRatio'), show(ratio), `ratio ${show(ratio)} is less than 1`));
      if (!isOvercommitAllowed(k) && def && defReq && compareQuantities(def, defReq) !== 0) {
        report(at('defaultRequest'), invalid(at('defaultRequest'), show(defReq), `default value ${show(def)} must equal to defaultRequest value ${show(defReq)} in ${k}`));
      }
    }
  }
}

function check(info: ObjectInfo, report: Reporter): void {
  const pods = new Set<string>();
  for (const c of containerSites(info)) {
    if (c.list !== 'ephemeralContainers') checkRequirements(c.container.resources, c.at.child('resources'), report, containerResourceNameErrors);
    const key = c.pod.path.join('.');
    if (pods.has(key)) continue;
    pods.add(key);
    const sp = FieldPath.of(c.pod.path);
    checkRequirements(c.pod.spec.resources, sp.child('resources'), report, () => []);
    for (const [i, vol] of objectItems(c.pod.spec.volumes)) {
      const claim = getObject(getObject(getObject(vol, 'ephemeral'), 'volumeClaimTemplate'), 'spec');
      checkClaimSpec(claim, sp.child('volumes').index(i).child('ephemeral', 'volumeClaimTemplate', 'spec'), report);
    }
  }
  const spec = getObject(info.object, 'spec');
  const sp = FieldPath.root().child('spec');
  if (is(info, 'PersistentVolumeClaim', '')) checkClaimSpec(spec ?? {}, sp, report);
  if (is(info, 'StatefulSet', 'apps')) {
    for (const [i, t] of objectItems(spec?.volumeClaimTemplates)) checkClaimSpec(getObject(t, 'spec') ?? {}, sp.child('volumeClaimTemplates').index(i).child('spec'), report);
  }
  if (is(info, 'ResourceQuota', '')) {
    for (const [name] of entriesOf(spec?.hard)) for (const msg of quotaResourceNameErrors(name)) report(sp.child('hard').key(name), invalid(sp.child('hard').key(name), name, msg), { target: 'key' });
  }
  if (is(info, 'LimitRange', '')) checkLimitRange(spec, report);
}

export const resourceRequirements = apiServerRule(
  'resource-requirements',
  'Requests do not exceed limits, resource names are known, claims request storage, and LimitRanges are consistent.',
  help,
  check,
);
