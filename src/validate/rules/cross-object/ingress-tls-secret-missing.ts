import { getArray, getObject, getString, isObject } from '../../../core/objects.ts';
import type { JsonPath } from '../../../core/types.ts';
import { describeNode, namespaceNote, type GraphObject, type ResourceGraph } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, isIngress, planResolvesDoc, reportAt, type Resolution, resolveNamed, ruleMeta } from './support.ts';

/** Annotations that make cert-manager (or kube-lego style ACME) create the TLS Secret from the Ingress itself. */
const ISSUING_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer', 'kubernetes.io/tls-acme'];

export const ingressTlsSecretMissing: Rule = {
  meta: ruleMeta({
    id: 'ingress-tls-secret-missing',
    description: "An Ingress TLS secretName names a Secret that the repo, which does define Secrets in that namespace, doesn't provide.",
    defaultSeverity: 'warning',
    enabledByDefault: true,
    body: `
## Why

Without its TLS Secret the ingress controller serves a default (self-signed) certificate for those hosts.

## What is checked

Every \`spec.tls[].secretName\` must resolve to a Secret in the Ingress's namespace — or to something that produces
one: a cert-manager \`Certificate\` (\`spec.secretName\`), a \`SealedSecret\`, an \`ExternalSecret\` (\`spec.target.name\`),
or a kustomize \`secretGenerator\`. Ingresses with cert-manager annotations (\`cert-manager.io/cluster-issuer\`,
\`cert-manager.io/issuer\`, \`kubernetes.io/tls-acme\`) are skipped: cert-manager creates the Secret.

## Outcomes

- the repo defines Secrets (or producers) in the namespace, but not this one: **warning**;
- the repo defines none there: **info** — TLS Secrets usually come from outside the repo.
- a file of the input failed to parse: **info** — the objects it defines are unknown, so nothing is called
  missing (kube-linter #249, #669).
` + planResolvesDoc('the Secret is in the live state (by name; its data is not read)', 'ingress-tls-secret-missing'),
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const { ingress: ing, namespace: ns, path, name, resolution: r } of tlsSecretRelations(graph)) {
      if (r.outcome === 'found') continue;
      if (r.outcome === 'unknown') reportAt(ctx, ing, path, `${describeNode(ing)}: TLS Secret "${name}" could not be checked: ${r.reason}${namespaceNote(ing)}`, 'info');
      else reportAt(ctx, ing, path, `${describeNode(ing)}: TLS Secret "${name}" is not defined in namespace "${ns}" (no Secret, Certificate, SealedSecret, ExternalSecret or secretGenerator produces it); ${TLS_CONSEQUENCE}${namespaceNote(ing)}`);
    }
  },
};

export const TLS_CONSEQUENCE = 'the controller will serve a default certificate';

/** The TLS Secrets of Ingresses that do not have cert-manager issue them, resolved against the repo. */
export function tlsSecretRelations(graph: ResourceGraph): { ingress: GraphObject; namespace: string; path: JsonPath; name: string; resolution: Resolution }[] {
  const out: { ingress: GraphObject; namespace: string; path: JsonPath; name: string; resolution: Resolution }[] = [];
  for (const ing of graph.objects) {
    if (!isIngress(ing)) continue;
    const ns = ing.namespace;
    if (ns === undefined) continue;
    if (ISSUING_ANNOTATIONS.some((a) => ing.annotations[a] !== undefined)) continue;
    (getArray(getObject(ing.manifest.object, 'spec'), 'tls') ?? []).forEach((tls, i) => {
      if (!isObject(tls)) return;
      const name = getString(tls, 'secretName');
      if (!name) return;
      out.push({ ingress: ing, namespace: ns, path: ['spec', 'tls', i, 'secretName'], name, resolution: resolveNamed(graph, 'Secret', ns, name) });
    });
  }
  return out;
}
