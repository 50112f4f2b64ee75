// Offline live sources (snapshot files, a git ref) and dry-run results handed in by the cluster loader.
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computePlan } from './compute.ts';
import { loadLiveFromGitRef, loadLiveSnapshot } from './live.ts';
import { manifests } from './testing/helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kubeplan-live-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('snapshot (--live PATH)', () => {
  it('reads kubectl get -o yaml Lists, multi-document YAML and JSON Lists from files and directories; skips Status documents', async () => {
    await mkdir(path.join(dir, 'snap/sub'), { recursive: true });
    await writeFile(path.join(dir, 'snap/list.yaml'), 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: d}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: d}}\n');
    await writeFile(path.join(dir, 'snap/sub/multi.yml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: d}\n---\napiVersion: v1\nkind: Status\nstatus: Failure\nmessage: forbidden\n');
    await writeFile(path.join(dir, 'snap/sub/list.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ServiceList', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'd' } }] }));
    await writeFile(path.join(dir, 'snap/notes.txt'), 'ignored');
    const live = await loadLiveSnapshot([path.join(dir, 'snap')]);
    expect(live.kind).toBe('snapshot');
    expect(live.objects.map((o) => `${String(o.object.kind)}/${String((o.object.metadata as { name: string }).name)}`)).toEqual(['ConfigMap/a', 'ConfigMap/b', 'Service/web', 'Secret/s']);
  });
});

describe('another git ref (--live-ref REV)', () => {
  it('plans the working tree against the manifests at REV', async () => {
    const repo = path.join(dir, 'repo');
    await mkdir(path.join(repo, 'k8s'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    await writeFile(path.join(repo, 'k8s/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: d}\ndata: {a: "1"}\n');
    git('add', '.');
    git('commit', '-qm', 'one');
    const live = await loadLiveFromGitRef('HEAD', { repoDir: repo, paths: ['k8s'] });
    expect(live.description).toBe('git ref HEAD');
    const p = computePlan({ desired: manifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: d}\ndata: {a: "2"}\n'), live, settings: { defaultNamespace: 'd' } });
    expect(p.changes.map((c) => `${c.action} ${c.changes.map((f) => f.path).join()}`)).toEqual(['update data.a']);
    await expect(loadLiveFromGitRef('no-such-ref', { repoDir: repo })).rejects.toThrow(/no-such-ref/);
  });
});

describe('server dry-run results', () => {
  const desired = manifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: d}\ndata: {a: "1"}\n');
  const live = [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd', resourceVersion: '5' }, data: { a: '1' } } }];
  it('a dry-run result is the basis when present (it sees what admission would do)', () => {
    const p = computePlan({
      desired,
      live: { kind: 'cluster', description: 'cluster', objects: live, dryRun: { '/ConfigMap/d/c': { ok: true, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd', labels: { injected: 'by-webhook' } }, data: { a: '1' } } } } },
      settings: { defaultNamespace: 'd' },
    });
    expect(p.changes[0]).toMatchObject({ action: 'update', basis: 'dry-run' });
    expect(p.changes[0]?.changes.map((f) => f.path)).toEqual(['metadata.labels']);
  });

  it('a failed dry-run falls back to the offline prediction with a warning; an immutable-field error makes a replace', () => {
    const failed = (message: string) =>
      computePlan({ desired, live: { kind: 'cluster', description: 'cluster', objects: live, dryRun: { '/ConfigMap/d/c': { ok: false, status: 422, reason: 'Invalid', message } } }, settings: { defaultNamespace: 'd' } }).changes[0];
    expect(failed('admission webhook "x" denied the request')).toMatchObject({ action: 'noop', basis: 'offline', warnings: [{ rule: 'dry-run-failed' }] });
    expect(failed('ConfigMap "c" is invalid: data: Forbidden: field is immutable when `immutable` is set')?.action).toBe('replace');
  });

  it('T18: a dry-run that failed because an object this plan creates does not exist yet is not a warning', () => {
    const d = manifests('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: d}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: d}\nspec: {serviceAccountName: web, containers: [{name: c, image: "x:1"}]}\n');
    const p = computePlan({ desired: d, live: { kind: 'cluster', description: 'cluster', objects: [], dryRun: { '/Pod/d/p': { ok: false, status: 403, reason: 'Forbidden', message: 'pods "p" is forbidden: error looking up service account d/web: serviceaccount "web" not found' } } }, settings: { defaultNamespace: 'd' } });
    expect(p.changes.flatMap((c) => c.warnings)).toEqual([]);
  });
});
