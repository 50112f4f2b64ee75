import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../../core/types.ts';
import { isDNS1123Label, isValidPortName } from '../../../k8s/validation.ts';
import { duplicate, FieldPath, invalid, required } from './field.ts';
import { apiServerRule, is, isInt, type ObjectInfo, objectItems, type Reporter } from './util.ts';
import { containerSites, handlerSites } from './walk.ts';

export const help = `# port-name

**Port names the API server would reject, and names that must be present or unique.**

Named container ports, and ports referred to by name (a Service \`targetPort\`, a probe's \`httpGet.port\` or
\`tcpSocket.port\`, an Ingress backend, a NetworkPolicy port) must be IANA service names: at most 15
characters, lowercase letters, digits and \`-\`, at least one letter, no leading, trailing or doubled \`-\`.

Service port names follow a different rule: they are DNS-1123 labels (up to 63 characters). A Service with
more than one port must name every port, and names must be unique. Container port names must be unique
within a container.

A port name used by two containers of the same pod is accepted by the API server, but a Service
\`targetPort\` naming it becomes ambiguous: that is reported as a **warning**.

An Ingress backend may name its Service port or give its number, not both.

## Examples

\`\`\`yaml
containers:
- name: web
  ports:
  - {name: http_api, containerPort: 8080}   # must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)
  - {name: metrics-endpoint, containerPort: 9090}   # must be no more than 15 characters
---
kind: Service
spec:
  ports:
  - {port: 80}          # spec.ports[0].name: Required value (more than one port)
  - {port: 443}
\`\`\`
`;

function checkIanaName(value: JsonValue | undefined, path: FieldPath, report: Reporter): void {
  if (typeof value !== 'string' || value.length === 0) return;
  for (const msg of isValidPortName(value)) report(path, invalid(path, value, msg));
}

function checkPods(info: ObjectInfo, report: Reporter): void {
  const owners = new Map<string, string>(); // pod-wide: port name → first container that uses it
  for (const site of containerSites(info)) {
    if (site.list === 'ephemeralContainers') continue;
    const seen = new Set<string>();
    const containerName = typeof site.container.name === 'string' ? site.container.name : `#${site.index}`;
    for (const [i, port] of objectItems(site.container.ports)) {
      const p = site.at.child('ports').index(i).child('name');
      const name = port.name;
      if (typeof name !== 'string' || name.length === 0) continue;
      const errs = isValidPortName(name);
      for (const msg of errs) report(p, invalid(p, name, msg));
      if (errs.length > 0) continue;
      if (seen.has(name)) {
        report(p, duplicate(p, name));
        continue;
      }
      seen.add(name);
      const podKey = `${site.pod.path.join('.')}/${name}`;
      const owner = owners.get(podKey);
      if (owner !== undefined && owner !== containerName) {
        report(p, `${p.text}: port name ${JSON.stringify(name)} is also used by container ${JSON.stringify(owner)} of this pod; a Service targetPort naming it is ambiguous`, {
          severity: 'warning',
        });
      } else {
        owners.set(podKey, containerName);
      }
    }
    for (const h of handlerSites(site)) {
      if (h.type === 'httpGet' || h.type === 'tcpSocket') checkIanaName(h.action.port, h.at.child('port'), report);
    }
  }
}

function checkService(spec: JsonObject, report: Reporter): void {
  const ports = objectItems(spec.ports);
  const requireName = Array.isArray(spec.ports) && spec.ports.length > 1;
  const names = new Set<string>();
  for (const [i, port] of ports) {
    const p = FieldPath.root().child('spec', 'ports').index(i);
    const name = port.name;
    if ((name === undefined || name === null || name === '') && requireName) {
      report(p.child('name'), required(p.child('name')));
    } else if (typeof name === 'string' && name.length > 0) {
      for (const msg of isDNS1123Label(name)) report(p.child('name'), invalid(p.child('name'), name, msg));
      if (names.has(name)) report(p.child('name'), duplicate(p.child('name'), name));
      else names.add(name);
    }
    checkIanaName(port.targetPort, p.child('targetPort'), report);
  }
}

function checkIngressBackend(backend: JsonValue | undefined, path: FieldPath, report: Reporter): void {
  const port = getObject(isObject(backend) ? getObject(backend, 'service') : undefined, 'port');
  if (port === undefined) return;
  const hasName = typeof port.name === 'string' && port.name.length > 0;
  const hasNumber = isInt(port.number) && port.number !== 0;
  if (hasName && hasNumber) report(path.child('service', 'port'), invalid(path, '', 'cannot set both port name & port number'));
  else checkIanaName(port.name, path.child('service', 'port', 'name'), report);
}

export const portName = apiServerRule('port-name', 'Port names are valid IANA service names (DNS labels for Service ports), present and unique where required.', help, (info, report) => {
  checkPods(info, report);
  const spec = getObject(info.object, 'spec');
  const sp = FieldPath.root().child('spec');
  if (is(info, 'Service', '') && spec) checkService(spec, report);
  if (is(info, 'Ingress', 'networking.k8s.io') && spec) {
    checkIngressBackend(spec.defaultBackend, sp.child('defaultBackend'), report);
    for (const [i, rule] of objectItems(spec.rules)) {
      for (const [j, path] of objectItems(getObject(rule, 'http')?.paths)) {
        checkIngressBackend(path.backend, sp.child('rules').index(i).child('http', 'paths').index(j).child('backend'), report);
      }
    }
  }
  if (is(info, 'NetworkPolicy', 'networking.k8s.io') && spec) {
    for (const dir of ['ingress', 'egress'] as const) {
      for (const [i, rule] of objectItems(spec[dir])) {
        for (const [j, port] of objectItems(rule.ports)) checkIanaName(port.port, sp.child(dir).index(i).child('ports').index(j).child('port'), report);
      }
    }
  }
});
