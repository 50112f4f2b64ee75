import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonObject } from '../../../core/types.ts';
import { type FieldPath, forbidden, invalid, required } from './field.ts';
import { apiServerRule, isInt, type Reporter } from './util.ts';
import { containerSites } from './walk.ts';

export const help = `# probe

**Liveness, readiness and startup probes, and lifecycle hooks, the API server rejects.**

- A probe or hook has exactly one action: \`exec\`, \`httpGet\`, \`tcpSocket\` or \`grpc\` for probes; \`exec\`,
  \`httpGet\`, \`tcpSocket\` or \`sleep\` for hooks. None, or two, is an error.
- \`exec.command\` may not be empty; \`httpGet.httpHeaders[].name\` must be a valid HTTP header name.
- \`initialDelaySeconds\`, \`timeoutSeconds\`, \`periodSeconds\`, \`successThreshold\` and \`failureThreshold\` may not
  be negative; a liveness or startup probe's \`successThreshold\` must be 1.
- A probe's \`terminationGracePeriodSeconds\` must be positive, and is not allowed on readiness probes.
- Init containers run to completion, so they cannot have probes or lifecycle hooks, unless they are sidecars
  (\`restartPolicy: Always\`).

Port numbers and names used by probes are checked by \`port-range\` and \`port-name\`.

## Example

\`\`\`yaml
livenessProbe:
  httpGet: {path: /healthz, port: 8080}
  successThreshold: 3      # …livenessProbe.successThreshold: Invalid value: 3: must be 1
\`\`\`
`;

const PROBE_ACTIONS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const HOOK_ACTIONS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
const HEADER = /^[-A-Za-z0-9]+$/;

function checkHandler(handler: JsonObject, p: FieldPath, actions: readonly string[], report: Reporter): void {
  const present = actions.filter((a) => isObject(handler[a]));
  if (present.length === 0) report(p, required(p, 'must specify a handler type'), { target: 'key' });
  for (const extra of present.slice(1)) report(p.child(extra), forbidden(p.child(extra), 'may not specify more than 1 handler type'), { target: 'key' });
  const exec = getObject(handler, 'exec');
  if (exec && present[0] === 'exec' && (!Array.isArray(exec.command) || exec.command.length === 0)) report(p.child('exec', 'command'), required(p.child('exec', 'command')));
  const httpGet = getObject(handler, 'httpGet');
  if (httpGet && Array.isArray(httpGet.httpHeaders)) {
    for (const h of httpGet.httpHeaders) {
      if (isObject(h) && typeof h.name === 'string' && !HEADER.test(h.name)) {
        const hp = p.child('httpGet', 'httpHeaders');
        report(hp, invalid(hp, h.name, "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
      }
    }
  }
}

export const probe = apiServerRule('probe', 'Probes and lifecycle hooks have one action and settings the API server accepts.', help, (info, report) => {
  for (const site of containerSites(info)) {
    if (site.list === 'ephemeralContainers') continue;
    const c = site.container;
    if (site.list === 'initContainers' && !site.sidecar) {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (isObject(c[k])) report(site.at.child(k), forbidden(site.at.child(k), 'may not be set for init containers without restartPolicy=Always'), { target: 'key' });
      }
      continue;
    }
    for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      const pr = getObject(c, kind);
      if (pr === undefined) continue;
      const p = site.at.child(kind);
      checkHandler(pr, p, PROBE_ACTIONS, report);
      for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
        const v = pr[k];
        if (isInt(v) && v < 0) report(p.child(k), invalid(p.child(k), v, 'must be greater than or equal to 0'));
      }
      const st = pr.successThreshold;
      if (kind !== 'readinessProbe' && isInt(st) && st !== 1 && st > 0) report(p.child('successThreshold'), invalid(p.child('successThreshold'), st, 'must be 1'));
      const tgps = pr.terminationGracePeriodSeconds;
      if (isInt(tgps)) {
        if (kind === 'readinessProbe') report(p.child('terminationGracePeriodSeconds'), invalid(p.child('terminationGracePeriodSeconds'), tgps, 'must not be set for readinessProbes'));
        else if (tgps <= 0) report(p.child('terminationGracePeriodSeconds'), invalid(p.child('terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
      }
    }
    const lifecycle = getObject(c, 'lifecycle');
    for (const hook of ['postStart', 'preStop'] as const) {
      const h = getObject(lifecycle, hook);
      if (h !== undefined) checkHandler(h, site.at.child('lifecycle', hook), HOOK_ACTIONS, report);
    }
  }
});
