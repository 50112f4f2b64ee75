// Helpers shared by the cross-object rules: the graph, three-valued pod selection, named references
// (ConfigMap/Secret with their producers), and the rule-doc layout.
import { getArray, getObject, getString, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonPath, Manifest, RuleMeta, Severity } from '../../../core/types.ts';
import { buildResourceGraph, describeNode, namespaceNote, whereIs, type GraphObject, type PodTemplate, type ResourceGraph } from '../../../graph/index.ts';
import { failedRequirements, matchOutcome, parseSelectorMap, type Selector } from '../../../selectors/index.ts';
import type { RuleContext } from '../rule.ts';

const fallbackGraphs = new WeakMap<readonly Manifest[], ResourceGraph>();

/** The run's graph; contexts made by hand (without runRules) get one built and cached per manifest list. */
export function graphOf(ctx: RuleContext): ResourceGraph {
  if (ctx.graph) return ctx.graph;
  let g = fallbackGraphs.get(ctx.manifests);
  if (!g) {
    g = buildResourceGraph(ctx.manifests, { defaultNamespace: ctx.settings.defaultNamespace });
    fallbackGraphs.set(ctx.manifests, g);
  }
  return g;
}

export interface Selection {
  /** Templates the selector certainly matches. */
  yes: PodTemplate[];
  /** Templates it matches depending on runtime-injected labels (pod-template-hash, statefulset pod-name…). */
  maybe: PodTemplate[];
  /** Why "matches nothing" can't be trusted in this namespace; undefined when every pod source is in the input. */
  incomplete: string | undefined;
}

/** Which pod templates in a namespace a selector picks, and whether a "none" would be conclusive. */
export function selectTemplates(graph: ResourceGraph, namespace: string, selector: Selector): Selection {
  const yes: PodTemplate[] = [];
  const maybe: PodTemplate[] = [];
  const templates = graph.podTemplates(namespace);
  for (const t of templates) {
    const o = matchOutcome(selector, t.labels, t.runtimeLabels);
    if (o === 'yes') yes.push(t);
    else if (o === 'maybe') maybe.push(t);
  }
  return { yes, maybe, incomplete: incompleteness(graph, namespace) };
}

/** What a selector's Selection says about it: it selects pods of the repo, the repo can't tell (why), or it selects none. */
export function selectionOutcome(sel: Selection): { outcome: 'found' } | { outcome: 'unknown'; reason: string } | { outcome: 'missing' } {
  if (sel.yes.length > 0 || sel.maybe.length > 0) return { outcome: 'found' };
  if (sel.incomplete) return { outcome: 'unknown', reason: sel.incomplete };
  return { outcome: 'missing' };
}

/**
 * An object whose selector must select pods (Service, PodDisruptionBudget, NetworkPolicy), and which pod templates of
 * its namespace it selects; `selection` is undefined when the selector selects nothing or everything by itself.
 */
export interface SelectorRelation {
  node: GraphObject;
  namespace: string;
  path: JsonPath;
  selector: Selector;
  selection: Selection | undefined;
}

/** Why nothing can be proven missing from this input at all (files that failed to parse), or undefined. */
export function inputGap(graph: ResourceGraph): string | undefined {
  const files = graph.unparsedFiles;
  if (files.length === 0) return undefined;
  return `${files.length === 1 ? 'a file' : `${files.length} files`} of the input could not be parsed (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}), so the objects defined there are unknown`;
}

/**
 * Why a missing object of this kind in this namespace can't be called missing: the input is incomplete, or the repo
 * defines no object of the kind there at all (it is then created outside the repo). Undefined: "missing" is conclusive.
 */
export function absenceUnknown(graph: ResourceGraph, group: string, kind: string, namespace: string, plural = `${kind}s`): string | undefined {
  const gap = inputGap(graph);
  if (gap) return gap;
  if (graph.ofKind(group, kind, namespace).length === 0) return `the repo defines no ${plural} in namespace "${namespace}"`;
  return undefined;
}

/** Undefined when the namespace's pods all come from templates in the input; otherwise why they might not. */
export function incompleteness(graph: ResourceGraph, namespace: string): string | undefined {
  const gap = inputGap(graph);
  if (gap) return gap;
  const hidden = graph.hiddenPodSources(namespace);
  if (hidden.length > 0) {
    const names = hidden.slice(0, 3).map((h) => `${describeNode(h)} (${whereIs(h)})`);
    return `custom resources in namespace "${namespace}" may create pods the repo doesn't show: ${names.join(', ')}${hidden.length > 3 ? ` and ${hidden.length - 3} more` : ''}`;
  }
  if (graph.podTemplates(namespace).length === 0) return `the repo has no pod templates in namespace "${namespace}", so its pods are created elsewhere`;
  return undefined;
}

/** "closest: Deployment shop/web (web.yaml:3) lacks tier=fe" — the template failing the fewest requirements. */
export function closestHint(selector: Selector, templates: readonly PodTemplate[]): string {
  let best: { t: PodTemplate; failed: string[] } | undefined;
  for (const t of templates) {
    const failed = failedRequirements(selector, t.labels);
    if (failed.length === 0) continue;
    if (!best || failed.length < best.failed.length) best = { t, failed };
  }
  if (!best) return '';
  return `; closest: ${describeNode(best.t.owner)} (${whereIs(best.t.owner)}) fails ${best.failed.join(', ')}`;
}

export function describeTemplates(ts: readonly PodTemplate[], max = 3): string {
  const names = ts.slice(0, max).map((t) => describeNode(t.owner));
  return names.join(', ') + (ts.length > max ? ` and ${ts.length - max} more` : '');
}

const reportedSets = new WeakMap<readonly Manifest[], ReadonlySet<Manifest> | null>();

/**
 * Whether findings about this node are reported. In changed-only modes (a pre-commit hook) only the changed files
 * are, and the rest of the repo is context: a rule whose findings land only on the subject it examines skips the
 * others instead of working out findings that are dropped (most of a hook's rule time).
 */
export function isReported(ctx: RuleContext, node: GraphObject | PodTemplate): boolean {
  let set = reportedSets.get(ctx.reportedManifests);
  if (set === undefined) {
    set = ctx.reportedManifests.length === ctx.manifests.length ? null : new Set(ctx.reportedManifests);
    reportedSets.set(ctx.reportedManifests, set);
  }
  return set === null || set.has('owner' in node ? node.owner.manifest : node.manifest);
}

/** Report at a path inside a node's manifest. */
export function reportAt(ctx: RuleContext, node: GraphObject | PodTemplate, path: JsonPath, message: string, severity?: Severity, target?: 'key' | 'value'): void {
  const manifest = 'owner' in node ? node.owner.manifest : node.manifest;
  ctx.report({ manifest, path, message, ...(severity ? { severity } : {}), ...(target ? { target } : {}) });
}

/**
 * Report a reference to an object of `group`/`kind` the repo does not define in `namespace`: at the rule's severity
 * when that is conclusive, as info with the reason when it is not (absenceUnknown). `what` names the reference
 * (`ServiceAccount "build"`), `missing` says what is wrong and what follows (`is not defined in namespace "shop"; …`).
 */
export function reportMissingRef(ctx: RuleContext, graph: ResourceGraph, node: GraphObject | PodTemplate, path: JsonPath, target: { group: string; kind: string; namespace: string }, what: string, missing: string): void {
  const subject = 'owner' in node ? node.owner : node;
  const unknown = absenceUnknown(graph, target.group, target.kind, target.namespace);
  if (unknown) reportAt(ctx, node, path, `${describeNode(subject)}: ${what} could not be checked: ${unknown}${namespaceNote(subject)}`, 'info');
  else reportAt(ctx, node, path, `${describeNode(subject)}: ${what} ${missing}${namespaceNote(subject)}`);
}

/** An Ingress: networking.k8s.io, or extensions/v1beta1 (removed in 1.22, still found in repos). */
export function isIngress(o: GraphObject): boolean {
  return o.kind === 'Ingress' && (o.group === 'networking.k8s.io' || o.group === 'extensions');
}

/** A name a pod template refers to (a claim, a ServiceAccount) that the repo does not define, and where it is written. */
export interface UnresolvedName {
  template: PodTemplate;
  namespace: string;
  path: JsonPath;
  name: string;
}

export interface RoutingService {
  svc: GraphObject;
  namespace: string;
  spec: JsonObject | undefined;
  /** The parsed `spec.selector` (`nothing` when absent or empty: a selectorless Service). */
  selector: Selector;
}

/**
 * Services that route to pods by selector: namespaced, not ExternalName, with a valid map selector (an invalid one is
 * reported by label-syntax and schema validation, not guessed at here).
 */
export function routingServices(graph: ResourceGraph, only: (node: GraphObject) => boolean = () => true): RoutingService[] {
  const out: RoutingService[] = [];
  for (const svc of graph.ofKind('', 'Service')) {
    if (!only(svc)) continue;
    const namespace = svc.namespace;
    if (namespace === undefined) continue;
    const spec = getObject(svc.manifest.object, 'spec');
    if (getString(spec, 'type') === 'ExternalName') continue;
    const parsed = parseSelectorMap(spec?.selector);
    if (parsed.ok) out.push({ svc, namespace, spec, selector: parsed.selector });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Named references: ConfigMaps and Secrets, with the objects that produce them.

export type NamedKind = 'ConfigMap' | 'Secret';

export type Resolution =
  | { outcome: 'found'; by: string; /** undefined: the keys can't be known (generated, external) */ keys: ReadonlySet<string> | undefined }
  | { outcome: 'missing' }
  | { outcome: 'unknown'; reason: string };

/** ConfigMaps every namespace has (the root CA bundle is published into each namespace since 1.20). */
const IMPLICIT_CONFIGMAPS = new Set(['kube-root-ca.crt', 'openshift-service-ca.crt']);

interface Producer {
  by: string;
  keys: ReadonlySet<string> | undefined;
}

const producerCache = new WeakMap<ResourceGraph, Map<string, Map<string, Producer>>>();

/** namespace/kind → name → producer, for objects that aren't Secrets/ConfigMaps but create them. */
function producers(graph: ResourceGraph): Map<string, Map<string, Producer>> {
  let cached = producerCache.get(graph);
  if (cached) return cached;
  cached = new Map();
  const add = (kind: NamedKind, ns: string, name: string, p: Producer): void => {
    const key = `${ns}/${kind}`;
    let m = cached?.get(key);
    if (!m) {
      m = new Map();
      cached?.set(key, m);
    }
    if (!m.has(name)) m.set(name, p);
  };
  for (const o of graph.objects) {
    if (o.namespace === undefined) continue;
    const spec = getObject(o.manifest.object, 'spec');
    if (o.group === 'bitnami.com' && o.kind === 'SealedSecret') {
      const name = getString(getObject(getObject(spec, 'template'), 'metadata'), 'name') ?? o.name;
      add('Secret', o.namespace, name, { by: `${describeNode(o)} (${whereIs(o)})`, keys: new Set(Object.keys(getObject(spec, 'encryptedData') ?? {})) });
    } else if (o.group === 'external-secrets.io' && o.kind === 'ExternalSecret') {
      const name = getString(getObject(spec, 'target'), 'name') ?? o.name;
      const hasDataFrom = (getArray(spec, 'dataFrom') ?? []).length > 0 || isObject(getObject(getObject(spec, 'target'), 'template'));
      const keys = hasDataFrom ? undefined : new Set((getArray(spec, 'data') ?? []).flatMap((d) => (isObject(d) && typeof d.secretKey === 'string' ? [d.secretKey] : [])));
      add('Secret', o.namespace, name, { by: `${describeNode(o)} (${whereIs(o)})`, keys });
    } else if (o.group === 'cert-manager.io' && o.kind === 'Certificate') {
      const name = getString(spec, 'secretName');
      if (name) add('Secret', o.namespace, name, { by: `${describeNode(o)} (${whereIs(o)})`, keys: new Set(['tls.crt', 'tls.key', 'ca.crt']) });
    }
  }
  for (const k of graph.kustomizations) {
    for (const [kind, gens] of [
      ['ConfigMap', k.configMapGenerators],
      ['Secret', k.secretGenerators],
    ] as const) {
      for (const g of gens) {
        add(kind, g.namespace ?? graph.defaultNamespace, g.name, { by: `${kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'} in ${k.manifest.file}`, keys: g.keys ? new Set(g.keys) : undefined });
      }
    }
  }
  producerCache.set(graph, cached);
  return cached;
}

/** Keys of a ConfigMap (data ∪ binaryData) or Secret (data ∪ stringData). */
export function keysOf(o: GraphObject): Set<string> {
  const obj = o.manifest.object;
  const fields = o.kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData'];
  return new Set(fields.flatMap((f) => Object.keys(getObject(obj, f) ?? {})));
}

export function resolveNamed(graph: ResourceGraph, kind: NamedKind, namespace: string, name: string): Resolution {
  const found = graph.find('', kind, namespace, name)[0];
  if (found) {
    // Most references resolve and `by` is never shown; naming the position can mean parsing a large List
    // document for positions (e.g. a 1.5 MB ConfigMapList of dashboards), so it is computed only when read.
    return {
      outcome: 'found',
      get by() {
        return `${describeNode(found)} (${whereIs(found)})`;
      },
      keys: keysOf(found),
    };
  }
  if (kind === 'ConfigMap' && IMPLICIT_CONFIGMAPS.has(name)) return { outcome: 'found', by: 'the cluster (published into every namespace)', keys: undefined };
  const byName = producers(graph).get(`${namespace}/${kind}`);
  const p = byName?.get(name);
  if (p) return { outcome: 'found', by: p.by, keys: p.keys };
  const gap = inputGap(graph);
  if (gap) return { outcome: 'unknown', reason: gap };
  const anyInNs = graph.ofKind('', kind, namespace).length > 0 || (byName?.size ?? 0) > 0;
  if (!anyInNs) return { outcome: 'unknown', reason: `the repo defines no ${kind}s in namespace "${namespace}", so it is created outside the repo or not at all` };
  return { outcome: 'missing' };
}

/**
 * The doc section of a rule whose unknowns `kubeplan plan` resolves against the live state (src/plan/references.ts):
 * `found` says what settles one there; `warning` is the plan warning's rule id; selector rules say it their way.
 */
export function planResolvesDoc(found: string, warning: string, selector = false): string {
  const bullets = selector
    ? `- ${found}: settled, no warning;
  the plan's notes and the \`references\` of \`plan -o json\` say what it selects;
- no pod matches, although the live state lists the namespace's pods: a **plan warning** \`${warning}\` on the
  change of the selecting object (\`… matches no pod template in the repo and no pod in the cluster …\`), unless
  the plan warns so already because the selector is new or changed;
- only pods of a workload the plan deletes (prune) match: a plan warning too;
- the live state does not list the namespace's pods: still unknown, and the plan's notes say why.`
    : `- ${found}: settled, no warning;
  the plan's notes and the \`references\` of \`plan -o json\` say where it was found;
- not there, although the live state lists that kind in that namespace: a **plan warning** \`${warning}\` on the
  change of the referencing object (\`… is in neither the repo nor the cluster — …\`);
- there, but the plan deletes it (prune) while the repo still needs it: a plan warning too (also for a reference the
  repo alone already reports as missing);
- the live state does not list that kind in that namespace: still unknown, and the plan's notes say why.`;
  return `
## In \`kubeplan plan\`

The plan resolves what the repo cannot settle (the **info** outcome) against its live state:

${bullets}

Against a cluster, kubeplan adds one LIST per kind and namespace its own LISTs did not cover, as metadata only: no
ConfigMap or Secret data is read for them. A \`--live\` snapshot proves that an object existed when it was taken, and
absence only for kinds and namespaces it holds objects of. A \`--live-ref\` revision is the repo at another time, not
the cluster: it settles nothing, but a ${selector ? 'workload' : 'target'} that was in the repo there and is not any more warns that the
change removes what is still used. Plan warnings never change the exit code; turning this rule off, or suppressing it on the
object, silences them too.
`;
}

// ---------------------------------------------------------------------------------------------------------------
// Rule docs: one layout for every rule, so docs/rules/<id>.md and RuleMeta.help are the same text.

export interface RuleDoc {
  id: string;
  description: string;
  defaultSeverity: Severity;
  enabledByDefault: boolean;
  /** Markdown after the header: why it matters, what is checked, examples. */
  body: string;
}

export function ruleMeta(doc: RuleDoc): RuleMeta {
  return { id: doc.id, description: doc.description, defaultSeverity: doc.defaultSeverity, enabledByDefault: doc.enabledByDefault, help: renderDoc(doc) };
}

function renderDoc(doc: RuleDoc): string {
  const enable = doc.enabledByDefault
    ? 'yes'
    : `no — enable it in \`.kubeplan.yaml\`:\n\n\`\`\`yaml\nrules:\n  ${doc.id}: warning\n\`\`\``;
  return `# ${doc.id}

${doc.description}

- **Default severity:** ${doc.defaultSeverity}
- **Enabled by default:** ${enable}

${doc.body.trim()}

## Suppressing

On the object (or its pod template), with a reason:

\`\`\`yaml
metadata:
  annotations:
    kubeplan.dev/ignore: "${doc.id}: <why this is fine here>"
\`\`\`

See [suppressions](suppressions.md) for the syntax and for baselines.
`;
}
