import { isIP } from 'node:net';
import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonValue } from '../../../core/types.ts';
import { nameIsDNS1035Label, nameIsDNSSubdomain } from '../../../k8s/names.ts';
import { isDNS1123Subdomain } from '../../../k8s/validation.ts';
import { FieldPath, invalid } from './field.ts';
import { apiServerRule, objectItems, type Reporter } from './util.ts';

export const help = `# ingress-spec

**Ingress rules the API server rejects.**

- An Ingress has a \`defaultBackend\` or at least one rule.
- With \`pathType: Exact\` or \`Prefix\`, \`path\` is absolute (starts with \`/\`) and contains no \`//\`, \`/./\`, \`/../\`
  or \`%2f\`, nor ends with \`/.\` or \`/..\`; with \`ImplementationSpecific\`, a non-empty path is absolute too.
- \`host\` is a DNS name, optionally a wildcard (\`*.example.com\`), never an IP address; the same for \`tls[].hosts\`.
- A backend names a Service (a DNS-1035 label) or a resource, not both; \`ingressClassName\` is a DNS subdomain.

Port names and numbers of backends are checked by \`port-name\` and \`port-range\`; whether the Service exists,
by \`ingress-backend-missing\`.

## Example

\`\`\`yaml
rules:
- http:
    paths:
    - path: api          # spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path
      pathType: Prefix
\`\`\`
`;

const WILDCARD = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const WILDCARD_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function checkHost(host: string, p: FieldPath, report: Reporter): void {
  if (isIP(host) !== 0) {
    report(p, invalid(p, host, 'must be a DNS name, not an IP address'));
    return;
  }
  if (host.includes('*')) {
    if (host.length > 253) report(p, invalid(p, host, 'must be no more than 253 characters'));
    if (!WILDCARD.test(host)) report(p, invalid(p, host, WILDCARD_MSG));
  } else {
    for (const msg of isDNS1123Subdomain(host)) report(p, invalid(p, host, msg));
  }
}

function checkBackend(backend: JsonValue | undefined, p: FieldPath, report: Reporter): void {
  if (!isObject(backend)) return;
  const service = getObject(backend, 'service');
  if (service && isObject(backend.resource)) report(p, invalid(p, '', 'cannot set both resource and service backends'));
  const name = service?.name;
  if (typeof name === 'string' && name !== '') for (const msg of nameIsDNS1035Label(name, false)) report(p.child('service', 'name'), invalid(p.child('service', 'name'), name, msg));
}

export const ingressSpec = apiServerRule('ingress-spec', 'Ingress paths, hosts and backends are what the API server accepts.', help, (info, report) => {
  if (info.group !== 'networking.k8s.io' || info.kind !== 'Ingress') return;
  const spec = getObject(info.object, 'spec');
  const sp = FieldPath.root().child('spec');
  if (spec === undefined) return;
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  if (!isObject(spec.defaultBackend) && rules.length === 0) report(sp, invalid(sp, null, 'either `defaultBackend` or `rules` must be specified'), { target: 'key' });
  checkBackend(spec.defaultBackend, sp.child('defaultBackend'), report);
  const cls = spec.ingressClassName;
  if (typeof cls === 'string') for (const msg of nameIsDNSSubdomain(cls, false)) report(sp.child('ingressClassName'), invalid(sp.child('ingressClassName'), cls, msg));
  for (const [i, tls] of objectItems(spec.tls)) {
    const hosts = Array.isArray(tls.hosts) ? tls.hosts : [];
    hosts.forEach((h, j) => {
      if (typeof h === 'string') checkHost(h, sp.child('tls').index(i).child('hosts').index(j), report);
    });
  }
  for (const [i, rule] of objectItems(spec.rules)) {
    const rp = sp.child('rules').index(i);
    if (typeof rule.host === 'string' && rule.host !== '') checkHost(rule.host, rp.child('host'), report);
    for (const [j, path] of objectItems(getObject(rule, 'http')?.paths)) {
      const pp = rp.child('http', 'paths').index(j);
      const value = typeof path.path === 'string' ? path.path : '';
      const type = path.pathType;
      if (type === 'Exact' || type === 'Prefix') {
        if (!value.startsWith('/')) report(pp.child('path'), invalid(pp.child('path'), value, 'must be an absolute path'));
        if (value.length > 0) {
          for (const seq of ['//', '/./', '/../', '%2f', '%2F']) if (value.includes(seq)) report(pp.child('path'), invalid(pp.child('path'), value, `must not contain '${seq}'`));
          for (const suffix of ['/..', '/.']) if (value.endsWith(suffix)) report(pp.child('path'), invalid(pp.child('path'), value, `cannot end with '${suffix}'`));
        }
      } else if (type === 'ImplementationSpecific' && value.length > 0 && !value.startsWith('/')) {
        report(pp.child('path'), invalid(pp.child('path'), value, 'must be an absolute path'));
      }
      checkBackend(path.backend, pp.child('backend'), report);
    }
  }
});
