import { getObject } from '../../../core/objects.ts';
import type { JsonValue } from '../../../core/types.ts';
import { FieldPath, notSupported } from './field.ts';
import { apiServerRule, is, objectItems, type Reporter } from './util.ts';
import { containerSites } from './walk.ts';

export const help = `# protocol

**Port protocols other than \`TCP\`, \`UDP\` and \`SCTP\`, spelled exactly so.**

The schemas describe \`protocol\` as a free string; the API server accepts only \`TCP\`, \`UDP\` and \`SCTP\`, in
upper case. \`tcp\` or \`Udp\` are rejected ("Unsupported value"), and so is \`HTTP\`, which belongs in a Service
port's \`appProtocol\`. An absent protocol defaults to \`TCP\`.

Checked on container ports, Service ports, NetworkPolicy ports, Endpoints and EndpointSlice ports.

Schema-only validators miss this: kubeconform and kubectl-validate (without its patched schemas) accept
\`protocol: udp\`.

## Example

\`\`\`yaml
ports:
- containerPort: 53
  protocol: udp      # …protocol: Unsupported value: "udp": supported values: "SCTP", "TCP", "UDP"
\`\`\`
`;

/** Go's lists: sorted for pods, Services and endpoints; NetworkPolicy validation lists them in this order. */
const SORTED = ['SCTP', 'TCP', 'UDP'];
const NETWORK_POLICY_ORDER = ['TCP', 'UDP', 'SCTP'];

function check(value: JsonValue | undefined, path: FieldPath, report: Reporter, order = SORTED): void {
  // Absent or empty is defaulted to TCP; non-strings are the schema rule's finding.
  if (typeof value !== 'string' || value === '') return;
  if (!SORTED.includes(value)) report(path, notSupported(path, value, order));
}

export const protocol = apiServerRule('protocol', 'Port protocols are TCP, UDP or SCTP, in upper case.', help, (info, report) => {
  for (const site of containerSites(info)) {
    for (const [i, port] of objectItems(site.container.ports)) check(port.protocol, site.at.child('ports').index(i).child('protocol'), report);
  }
  const spec = getObject(info.object, 'spec');
  const sp = FieldPath.root().child('spec');
  if (is(info, 'Service', '')) {
    for (const [i, port] of objectItems(spec?.ports)) check(port.protocol, sp.child('ports').index(i).child('protocol'), report);
  }
  if (is(info, 'NetworkPolicy', 'networking.k8s.io')) {
    for (const dir of ['ingress', 'egress'] as const) {
      for (const [i, rule] of objectItems(spec?.[dir])) {
        for (const [j, port] of objectItems(rule.ports)) check(port.protocol, sp.child(dir).index(i).child('ports').index(j).child('protocol'), report, NETWORK_POLICY_ORDER);
      }
    }
  }
  if (is(info, 'Endpoints', '')) {
    for (const [i, subset] of objectItems(info.object.subsets)) {
      for (const [j, port] of objectItems(subset.ports)) check(port.protocol, FieldPath.root().child('subsets').index(i).child('ports').index(j).child('protocol'), report);
    }
  }
  if (is(info, 'EndpointSlice', 'discovery.k8s.io')) {
    for (const [i, port] of objectItems(info.object.ports)) check(port.protocol, FieldPath.root().child('ports').index(i).child('protocol'), report);
  }
});
