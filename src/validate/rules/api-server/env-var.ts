import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../../core/types.ts';
import { isConfigMapKey, isEnvVarName, isRelaxedEnvVarName, nameIsDNSSubdomain } from '../../../k8s/names.ts';
import { formatQuantity, parseQuantity } from '../../../k8s/quantity.ts';
import { type FieldPath, invalid, notSupported, required } from './field.ts';
import { apiServerRule, type ObjectInfo, objectItems, type Reporter } from './util.ts';
import { containerSites } from './walk.ts';

export const help = `# env-var

**Environment variables the API server would reject.**

- \`env[].name\` may not be empty (an absent name is the schema rule's finding). Kubernetes 1.32 and later (the RelaxedEnvironmentVariableValidation feature,
  on by default) accept any printable ASCII character except \`=\`. Older API servers, selected with the
  Kubernetes version setting, require letters, digits, \`_\`, \`-\` and \`.\`, not starting with a digit.
  The same applies to \`envFrom[].prefix\`.
- \`valueFrom\` names exactly one source (\`fieldRef\`, \`resourceFieldRef\`, \`configMapKeyRef\`, \`secretKeyRef\`)
  and cannot be combined with a non-empty \`value\`.
- \`configMapKeyRef\` and \`secretKeyRef\` need a \`name\` (a DNS subdomain; the API server rejects an empty one,
  although the schema lets you leave it out) and a non-empty \`key\` made of alphanumerics, \`-\`, \`_\` and \`.\`.
- \`fieldRef.fieldPath\` is one of the fields the downward API exposes to environment variables
  (\`metadata.name\`, \`metadata.namespace\`, \`metadata.uid\`, \`metadata.labels['…']\`,
  \`metadata.annotations['…']\`, \`spec.nodeName\`, \`spec.serviceAccountName\`, \`status.hostIP(s)\`, \`status.podIP(s)\`).
- \`resourceFieldRef.resource\` is a container resource (\`limits.cpu\`, \`requests.memory\`, …) and its
  \`divisor\` one the server allows (\`1m\` or \`1\` for cpu; \`1\`, \`1k\`…\`1E\`, \`1Ki\`…\`1Ei\` otherwise).
- each \`envFrom\` entry names exactly one of \`configMapRef\` and \`secretRef\`.

## Examples

\`\`\`yaml
env:
- name: DB_PASSWORD
  value: x
  valueFrom: {secretKeyRef: {name: db, key: password}}   # …valueFrom: Invalid value: "": may not be specified when \`value\` is not empty
- name: NODE
  valueFrom: {fieldRef: {fieldPath: spec.host}}           # error converting fieldPath: field label not supported: spec.host
\`\`\`
`;

const FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
/** What ConvertDownwardAPIFieldLabel knows for v1 pods (a wider set than environment variables may use). */
const CONVERTIBLE = new Set([...FIELD_PATHS, 'metadata.annotations', 'metadata.labels', 'spec.restartPolicy', 'spec.schedulerName', 'status.phase']);
const RESOURCES = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const CPU_DIVISORS = new Set(['1m', '1']);
const OTHER_DIVISORS = new Set(['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei']);

function nameErrors(info: ObjectInfo): (name: string) => string[] {
  return info.minor >= 32 ? isRelaxedEnvVarName : isEnvVarName;
}

function checkKeySelector(ref: JsonObject, p: FieldPath, report: Reporter): void {
  const name = typeof ref.name === 'string' ? ref.name : ref.name === undefined || ref.name === null ? '' : undefined;
  if (name !== undefined) for (const msg of nameIsDNSSubdomain(name, false)) report(p.child('name'), invalid(p.child('name'), name, msg));
  const key = ref.key;
  if (key === '') report(p.child('key'), required(p.child('key')));
  else if (typeof key === 'string') for (const msg of isConfigMapKey(key)) report(p.child('key'), invalid(p.child('key'), key, msg));
}

function checkFieldRef(ref: JsonObject, p: FieldPath, report: Reporter): void {
  const path = ref.fieldPath;
  if (path === '') {
    report(p.child('fieldPath'), required(p.child('fieldPath')));
    return;
  }
  if (typeof path !== 'string') return;
  if (/^metadata\.(labels|annotations)\['.+'\]$/.test(path)) return;
  if (!CONVERTIBLE.has(path)) report(p.child('fieldPath'), invalid(p.child('fieldPath'), path, `error converting fieldPath: field label not supported: ${path}`));
  else if (!FIELD_PATHS.includes(path)) report(p.child('fieldPath'), notSupported(p.child('fieldPath'), path, FIELD_PATHS));
}

function checkResourceFieldRef(ref: JsonObject, p: FieldPath, report: Reporter): void {
  const resource = ref.resource;
  if (resource === '') {
    report(p.child('resource'), required(p.child('resource')));
    return;
  }
  if (typeof resource !== 'string') return;
  const hugePages = resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-');
  if (!RESOURCES.includes(resource) && !hugePages) report(p.child('resource'), notSupported(p.child('resource'), resource, RESOURCES));
  const divisor = ref.divisor;
  if (typeof divisor !== 'string' && typeof divisor !== 'number') return;
  const q = parseQuantity(divisor);
  if (q === null || q.mantissa === 0n) return; // unparsable: the quantity rule's; zero means unset
  const shown = formatQuantity(q);
  const kind = resource.endsWith('.cpu') ? 'cpu' : resource.endsWith('.memory') ? 'memory' : resource.endsWith('.ephemeral-storage') ? 'local ephemeral storage' : hugePages ? 'hugepages' : undefined;
  if (kind === undefined) return;
  const allowed = kind === 'cpu' ? CPU_DIVISORS : OTHER_DIVISORS;
  if (!allowed.has(shown)) {
    const list = kind === 'cpu' ? '1m and 1' : '1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei';
    report(p.child('divisor'), invalid(p.child('divisor'), resource, `only divisor's values ${list} are supported with the ${kind} resource`));
  }
}

function checkEnv(env: JsonValue | undefined, path: FieldPath, names: (n: string) => string[], report: Reporter): void {
  for (const [i, ev] of objectItems(env)) {
    const p = path.index(i);
    const name = ev.name;
    if (name === '') report(p.child('name'), required(p.child('name')));
    else if (typeof name === 'string') for (const msg of names(name)) report(p.child('name'), invalid(p.child('name'), name, msg));
    const from = ev.valueFrom;
    if (!isObject(from)) continue;
    const vp = p.child('valueFrom');
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((k) => isObject(from[k]));
    if (sources.length === 0) report(vp, invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (typeof ev.value === 'string' && ev.value.length > 0) report(vp, invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (sources.length > 1) report(vp, invalid(vp, '', 'may not have more than one field specified at a time'));
    const fieldRef = getObject(from, 'fieldRef');
    if (fieldRef) checkFieldRef(fieldRef, vp.child('fieldRef'), report);
    const resourceFieldRef = getObject(from, 'resourceFieldRef');
    if (resourceFieldRef) checkResourceFieldRef(resourceFieldRef, vp.child('resourceFieldRef'), report);
    for (const k of ['configMapKeyRef', 'secretKeyRef'] as const) {
      const ref = getObject(from, k);
      if (ref) checkKeySelector(ref, vp.child(k), report);
    }
  }
}

function checkEnvFrom(envFrom: JsonValue | undefined, path: FieldPath, names: (n: string) => string[], report: Reporter): void {
  for (const [i, ev] of objectItems(envFrom)) {
    const p = path.index(i);
    if (typeof ev.prefix === 'string' && ev.prefix.length > 0) for (const msg of names(ev.prefix)) report(p.child('prefix'), invalid(p.child('prefix'), ev.prefix, msg));
    const refs = ['configMapRef', 'secretRef'].filter((k) => isObject(ev[k]));
    // Go reports these two at the envFrom list's path.
    if (refs.length === 0) report(p, invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) report(p, invalid(path, '', 'may not have more than one field specified at a time'));
    for (const k of refs) {
      const ref = getObject(ev, k);
      const name = ref?.name;
      const np = p.child(k, 'name');
      if (name === undefined || name === null || name === '') report(np, required(np));
      else if (typeof name === 'string') for (const msg of nameIsDNSSubdomain(name, true)) report(np, invalid(np, name, msg));
    }
  }
}

export const envVar = apiServerRule('env-var', 'Environment variables have valid names and exactly one well-formed source.', help, (info, report) => {
  const names = nameErrors(info);
  for (const site of containerSites(info)) {
    checkEnv(site.container.env, site.at.child('env'), names, report);
    checkEnvFrom(site.container.envFrom, site.at.child('envFrom'), names, report);
  }
});
