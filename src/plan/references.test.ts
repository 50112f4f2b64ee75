// References the repo cannot settle (validate's "unknown"), resolved against the live state by computePlan:
// fixtures/live-refs is a repo whose ConfigMaps, Secret, ServiceAccount, claim and "edge" pods live elsewhere, and a
// snapshot of the cluster that holds most of them.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildResourceGraph } from '../graph/index.ts';
import { parseText } from '../manifests/parse.ts';
import { unresolvedReferences } from '../validate/rules/cross-object/references.ts';
import { computePlan } from './compute.ts';
import { loadLiveFromGitRef, loadLiveSnapshot } from './live.ts';
import { renderPlan } from './render/index.ts';
import { savePlan } from './saved.ts';
import type { LiveObject, LiveSource, Plan, PlanSettings } from './types.ts';

const root = fileURLToPath(new URL('../../fixtures/live-refs/', import.meta.url));
const repoFiles = ['shop.yaml', 'edge.yaml'];
const repoText = (f: string): string => readFileSync(path.join(root, 'manifests', f), 'utf8');
const desired = (texts: Record<string, string> = Object.fromEntries(repoFiles.map((f) => [f, repoText(f)]))) =>
  Object.entries(texts).flatMap(([f, t]) => parseText(`manifests/${f}`, t).manifests);

function planOf(live: LiveSource, settings: Partial<PlanSettings> = {}, texts?: Record<string, string>): Plan {
  const manifests = desired(texts);
  const references = unresolvedReferences(buildResourceGraph(manifests));
  return computePlan({ desired: manifests, live, references, settings: { defaultNamespace: 'default', ...settings }, now: () => new Date('2026-01-01T00:00:00Z') });
}

const warningsOf = (p: Plan, name: string, kind?: string): string[] =>
  p.changes.filter((c) => c.object.name === name && (kind === undefined || c.object.kind === kind) && c.action !== 'delete').flatMap((c) => c.warnings.map((w) => `${w.rule}: ${w.message}`));
const outcomes = (p: Plan): string[] => (p.references ?? []).map((r) => `${r.from} → ${r.target}: ${r.outcome}`);
const snapshot = (): Promise<LiveSource> => loadLiveSnapshot([path.join(root, 'live')]);
const without = (live: LiveSource, kind: string): LiveSource => ({ ...live, objects: live.objects.filter((o) => o.object.kind !== kind) });

const tmp: string[] = [];
afterAll(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

describe('references resolved against a snapshot (--live)', () => {
  it('found in the snapshot: settled, no warning; missing from a kind the snapshot lists there: a warning on the referencing change', async () => {
    const p = planOf(await snapshot());
    expect(outcomes(p)).toEqual([
      'Deployment shop/web → ConfigMap shop/app-config: found',
      'Deployment shop/api → ConfigMap shop/api-config: missing',
      'Deployment shop/web → Secret shop/db-credentials: found',
      'Deployment shop/web → ServiceAccount shop/web: found',
      'Deployment shop/web → PersistentVolumeClaim shop/uploads: found',
      'Service edge/legacy → pods app=legacy in edge: found',
      'Service edge/ghost → pods app=ghost in edge: missing',
      'PodDisruptionBudget edge/legacy → pods app=legacy in edge: found',
    ]);
    expect(warningsOf(p, 'web')).toEqual([]);
    expect(warningsOf(p, 'legacy')).toEqual([]);
    expect(warningsOf(p, 'api')).toEqual([
      'configmap-ref-missing: ConfigMap "api-config" (envFrom of container "api") is in neither the repo nor the snapshot — the container fails to start (CreateContainerConfigError) unless the reference is optional: true',
    ]);
    // The new Service edge/ghost already gets impact.ts's selector-no-match warning: one warning, not two.
    expect(warningsOf(p, 'ghost')).toEqual([expect.stringMatching(/^selector-no-match: selector app=ghost matches no pod template in the repo and no running pod in namespace edge/)]);
    expect(p.live.notes.join('\n')).toContain('were found in the snapshot (as of the snapshot; it may have changed since): ConfigMap shop/app-config, Secret shop/db-credentials');
    expect(p.summary.warnings).toBe(2);
  });

  it('a snapshot without a kind in a namespace cannot show that one is missing: unknown, no warning, a note says why', async () => {
    const p = planOf(without(await snapshot(), 'PersistentVolumeClaim'));
    expect(outcomes(p)).toContain('Deployment shop/web → PersistentVolumeClaim shop/uploads: unknown');
    expect(warningsOf(p, 'web')).toEqual([]);
    expect(p.live.notes.join('\n')).toContain('1 reference(s) the repo cannot satisfy were not checked (PersistentVolumeClaim shop/uploads): the snapshot holds no PersistentVolumeClaims in namespace shop, so it cannot show that one is missing');
  });

  it('a selector relation whose Service is unchanged still warns when the live pods match nothing (impact.ts only checks changed selectors)', async () => {
    const live = await snapshot();
    const ghost = desired().find((m) => m.object.kind === 'Service' && (m.object.metadata as { name: string }).name === 'ghost');
    const withGhost: LiveSource = { ...live, objects: [...live.objects, { object: structuredClone(ghost!.object) }] };
    const p = planOf(withGhost);
    expect(p.changes.find((c) => c.object.name === 'ghost')?.action).toBe('noop');
    expect(warningsOf(p, 'ghost')).toEqual(['selector-no-match: selector app=ghost matches no pod template in the repo and no pod in the snapshot (namespace edge) — the Service has no endpoints: traffic to it goes nowhere']);
    // Text output lists unchanged objects that carry warnings.
    expect(renderPlan(p, 'text')).toMatch(/Service edge\/ghost\n\s+! selector-no-match: selector app=ghost/);
  });

  it('a target the plan prunes while the repo still references it: a warning on the referencing change', async () => {
    const live = await snapshot();
    const p = planOf(live, { pruneSelector: 'app.kubernetes.io/managed-by=platform' });
    expect(p.changes.filter((c) => c.action === 'delete').map((c) => c.key)).toEqual(['/ConfigMap/shop/app-config']);
    expect(outcomes(p)).toContain('Deployment shop/web → ConfigMap shop/app-config: deleted');
    expect(warningsOf(p, 'web')).toEqual([
      'configmap-ref-missing: ConfigMap "app-config" (envFrom of container "web") is deleted by this plan (prune) but still referenced — the container fails to start (CreateContainerConfigError) unless the reference is optional: true',
    ]);
  });

  it('a selector whose only pods belong to a workload the plan prunes warns too', async () => {
    const live = await snapshot();
    const labelled = live.objects.map((o): LiveObject => {
      if (o.object.kind !== 'Deployment') return o;
      const c = structuredClone(o.object) as { metadata: { labels: Record<string, string> } };
      c.metadata.labels['app.kubernetes.io/managed-by'] = 'kubeplan';
      return { object: c as unknown as LiveObject['object'] };
    });
    const p = planOf({ ...live, objects: labelled }, { pruneSelector: 'app.kubernetes.io/managed-by=kubeplan' });
    expect(p.changes.filter((c) => c.action === 'delete').map((c) => c.key)).toEqual(['apps/Deployment/edge/legacy']);
    expect(warningsOf(p, 'legacy', 'Service')).toEqual(['selector-no-match: selector app=legacy selects only pods of Deployment edge/legacy, which this plan deletes — the Service has no endpoints: traffic to it goes nowhere']);
    expect(warningsOf(p, 'legacy', 'PodDisruptionBudget')).toEqual(['selector-no-match: selector app=legacy selects only pods of Deployment edge/legacy, which this plan deletes — the budget protects nothing']);
  });

  it('no Secret value of the snapshot reaches any output or the saved plan', async () => {
    const p = planOf(await snapshot());
    const encoded = 'czNjcjN0LVBhNTV3MHJkLWxpdmUtcmVmcw==';
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    expect(readFileSync(path.join(root, 'live', 'shop.yaml'), 'utf8')).toContain(encoded);
    for (const out of [renderPlan(p, 'text'), renderPlan(p, 'json'), renderPlan(p, 'markdown'), savePlan(p)]) {
      expect(out).not.toContain(encoded);
      expect(out).not.toContain(decoded);
    }
  });
});

describe('references resolved against a cluster (listed kinds and metadata-only context)', () => {
  const meta = (kind: string, namespace: string, name: string): LiveObject => ({ object: { apiVersion: 'v1', kind, metadata: { name, namespace } }, source: 'cluster' });
  const cluster = (listed: LiveSource['listed'], context: LiveObject[], objects: LiveObject[] = []): LiveSource => ({ kind: 'cluster', description: 'cluster https://127.0.0.1:6443', objects, listed, context });

  it('context objects resolve references; a listed kind without the target is proof of absence; an unlisted one is not', () => {
    const p = planOf(
      cluster(
        [
          { gk: 'ConfigMap', namespace: 'shop' },
          { gk: 'Secret', namespace: 'shop' },
          { gk: 'Pod', namespace: 'edge' },
        ],
        [meta('ConfigMap', 'shop', 'app-config'), meta('Secret', 'shop', 'other')],
      ),
    );
    expect(outcomes(p)).toEqual([
      'Deployment shop/web → ConfigMap shop/app-config: found',
      'Deployment shop/api → ConfigMap shop/api-config: missing',
      'Deployment shop/web → Secret shop/db-credentials: missing',
      'Deployment shop/web → ServiceAccount shop/web: unknown',
      'Deployment shop/web → PersistentVolumeClaim shop/uploads: unknown',
      'Service edge/legacy → pods app=legacy in edge: missing',
      'Service edge/ghost → pods app=ghost in edge: missing',
      'PodDisruptionBudget edge/legacy → pods app=legacy in edge: missing',
    ]);
    expect(warningsOf(p, 'web')).toEqual([
      'secret-ref-missing: Secret "db-credentials" (env DB_PASSWORD of container "web") is in neither the repo nor the cluster — the container fails to start (CreateContainerConfigError) unless the reference is optional: true',
    ]);
    expect(warningsOf(p, 'api')).toEqual([expect.stringMatching(/^configmap-ref-missing: ConfigMap "api-config" .* is in neither the repo nor the cluster/)]);
    const pdb = p.changes.find((c) => c.object.kind === 'PodDisruptionBudget');
    expect(pdb?.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/selector app=legacy matches no pod template in the repo and no running pod/)]);
    expect(p.live.notes.join('\n')).toMatch(/2 reference\(s\) the repo cannot satisfy were not checked \(ServiceAccount shop\/web, PersistentVolumeClaim shop\/uploads\): the cluster's ServiceAccounts in namespace shop were not listed/);
  });

  it('running pods in the cluster resolve a selector the repo cannot', () => {
    const pod = { object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'legacy-1', namespace: 'edge', labels: { app: 'legacy', 'pod-template-hash': 'abc' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'legacy-abc', uid: 'u' }] } } };
    const p = planOf(cluster([{ gk: 'Pod', namespace: 'edge' }], [], [pod]));
    expect(outcomes(p).filter((o) => o.includes('legacy'))).toEqual(['Service edge/legacy → pods app=legacy in edge: found', 'PodDisruptionBudget edge/legacy → pods app=legacy in edge: found']);
    expect(p.references?.find((r) => r.from === 'Service edge/legacy')?.detail).toBe('selects 1 pod(s) in the cluster');
    expect(warningsOf(p, 'legacy')).toEqual([]);
  });

  it('without references (a caller that passes none) the plan has no references section', () => {
    const p = computePlan({ desired: desired(), live: cluster([], []), settings: { defaultNamespace: 'default' } });
    expect(p.references).toBeUndefined();
    expect(renderPlan(p, 'json')).not.toContain('"references"');
  });
});

describe('references against another git ref (--live-ref)', () => {
  it('proves nothing about the cluster, but a target the branch removed from the repo while still referencing it warns', async () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'kubeplan-liverefs-'));
    tmp.push(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    cpSync(path.join(root, 'manifests'), path.join(repo, 'k8s'), { recursive: true });
    writeFileSync(path.join(repo, 'k8s', 'config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config, namespace: shop}\ndata: {LOG_LEVEL: info}\n');
    writeFileSync(path.join(repo, 'k8s', 'legacy.yaml'), readFileSync(path.join(root, 'live', 'edge.yaml'), 'utf8').split('\n- apiVersion: v1\n  kind: Pod')[0]!.replace(/^[\s\S]*?- apiVersion: apps\/v1/m, 'apiVersion: apps/v1').replace(/^  /gm, ''));
    git('add', '.');
    git('commit', '-qm', 'with the ConfigMap');
    const live = await loadLiveFromGitRef('HEAD', { repoDir: repo, paths: ['k8s'] });
    expect(live.objects.map((o) => `${String(o.object.kind)} ${String((o.object.metadata as { name: string }).name)}`)).toContain('Deployment legacy');
    // The branch deletes config.yaml and legacy.yaml: the repo now defines no ConfigMaps in shop and no pod template in
    // edge, so validate cannot tell.
    const p = planOf(live);
    expect(outcomes(p)).toContain('Deployment shop/web → ConfigMap shop/app-config: removed');
    expect(outcomes(p)).toContain('Deployment shop/web → Secret shop/db-credentials: unknown');
    expect(warningsOf(p, 'web')).toEqual([
      'configmap-ref-missing: ConfigMap "app-config" (envFrom of container "web") was in the repo at HEAD and is not any more, but is still referenced — once it is deleted from the cluster, the container fails to start (CreateContainerConfigError) unless the reference is optional: true',
    ]);
    expect(warningsOf(p, 'api')).toEqual([]);
    expect(outcomes(p)).toContain('Service edge/legacy → pods app=legacy in edge: removed');
    expect(outcomes(p)).toContain('Service edge/ghost → pods app=ghost in edge: unknown');
    expect(warningsOf(p, 'legacy', 'Service')).toEqual([
      'selector-no-match: selector app=legacy selects only pods of Deployment edge/legacy, which HEAD has and the repo does not any more — once it is deleted from the cluster, the Service has no endpoints: traffic to it goes nowhere',
    ]);
    expect(p.live.notes.join('\n')).toContain('git ref HEAD is the repo at another revision, not the cluster');
  });
});
