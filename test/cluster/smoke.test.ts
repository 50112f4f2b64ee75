// Smoke tests of the real control plane the cluster tier runs: the API-server behaviour
// kubeplan's plan/apply relies on (server-side apply, dry-run defaulting, immutable fields,
// field-manager conflicts, CRDs, OpenAPI v3, kubectl diff), checked against the real thing.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clusterBinDir, isCI, missingBinaries, missingBinariesMessage, startCluster, tail, type Cluster } from './harness.ts';
import { request, type RestResponse } from './rest.ts';

const binDir = clusterBinDir();
const missing = missingBinaries(binDir);
// Locally, no binaries means skip (with the reason); under CI it means fail: startCluster throws.
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(binDir, missing)}`);

const NS = 'kubeplan-smoke';
const APPLY = 'application/apply-patch+yaml';

async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    last = await check();
    if (last) return last as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function apply(apiPath: string, yaml: string, manager: string, extra = ''): Promise<RestResponse> {
  return request('PATCH', `${apiPath}?fieldManager=${encodeURIComponent(manager)}${extra}`, yaml, APPLY);
}

function deploymentYaml(name: string, opts: { replicas?: number; app?: string } = {}): string {
  const app = opts.app ?? name;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  replicas: ${opts.replicas ?? 2}
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
      - name: main
        image: registry.k8s.io/pause:3.10
`;
}

const deployPath = (name: string): string => `/apis/apps/v1/namespaces/${NS}/deployments/${name}`;

const CRD_GROUP = 'smoke.kubeplan.dev';
const CRD_YAML = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.${CRD_GROUP}
spec:
  group: ${CRD_GROUP}
  scope: Namespaced
  names:
    kind: Widget
    listKind: WidgetList
    plural: widgets
    singular: widget
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size:
                type: integer
                minimum: 1
              color:
                type: string
                default: blue
`;

describe.skipIf(skip)('cluster smoke: a real kube-apiserver with kwok nodes', () => {
  let cluster: Cluster | undefined;
  let failures = 0;

  beforeAll(async () => {
    const t0 = Date.now();
    cluster = await startCluster({ nodes: 2 });
    console.log(`cluster ${cluster.versions.kubernetes} up at ${cluster.server} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const ns = await apply(`/api/v1/namespaces/${NS}`, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`, 'kubeplan-smoke');
    expect(ns.status, ns.text).toBe(201);
    // Pods need the namespace's default service account, which the controller-manager creates.
    await eventually('default service account', async () => (await request('GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status === 200);
  });

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      failures++;
    });
  });

  afterAll(async () => {
    if (cluster && failures > 0) console.error(`control-plane logs (a test failed):\n${tail(cluster.logs(), 120)}`);
    await cluster?.stop();
  });

  it('serves the pinned Kubernetes version', async () => {
    const r = await request('GET', '/version');
    expect(r.status).toBe(200);
    expect(r.json.gitVersion).toBe(cluster?.versions.kubernetes);
  });

  it('server-side applies a Deployment that becomes Available on kwok nodes', async () => {
    const r = await apply(deployPath('web'), deploymentYaml('web', { replicas: 2 }), 'kubeplan-smoke');
    expect(r.status, r.text).toBe(201);
    expect(r.json.metadata.managedFields.map((f: { manager: string }) => f.manager)).toContain('kubeplan-smoke');

    const dep = await eventually('Deployment web Available with 2 ready replicas', async () => {
      const g = await request('GET', deployPath('web'));
      const available = g.json?.status?.conditions?.find((c: { type: string }) => c.type === 'Available');
      return available?.status === 'True' && g.json.status.readyReplicas === 2 && g.json.status.availableReplicas === 2 ? g.json : undefined;
    });
    expect(dep.status.observedGeneration).toBe(dep.metadata.generation);

    const pods = await request('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=${encodeURIComponent('app=web')}`);
    expect(pods.json.items).toHaveLength(2);
    for (const pod of pods.json.items) {
      expect(pod.spec.nodeName).toMatch(/^kwok-node-/);
      expect(pod.status.phase).toBe('Running');
      expect(pod.status.conditions.find((c: { type: string }) => c.type === 'Ready')?.status).toBe('True');
    }
  });

  it('establishes a CRD and accepts (and validates, and defaults) its custom resources', async () => {
    const r = await apply(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${CRD_GROUP}`, CRD_YAML, 'kubeplan-smoke');
    expect([200, 201], r.text).toContain(r.status);
    await eventually('CRD Established', async () => {
      const g = await request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${CRD_GROUP}`);
      return g.json?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True');
    });

    const widgets = `/apis/${CRD_GROUP}/v1/namespaces/${NS}/widgets`;
    // The new resource can take a moment to be served after Established.
    const created = await eventually('Widget accepted', async () => {
      const c = await apply(`${widgets}/w1`, `apiVersion: ${CRD_GROUP}/v1\nkind: Widget\nmetadata:\n  name: w1\n  namespace: ${NS}\nspec:\n  size: 3\n`, 'kubeplan-smoke');
      return c.status === 201 ? c : undefined;
    });
    expect(created.json.spec).toEqual({ size: 3, color: 'blue' }); // structural-schema default applied

    const got = await request('GET', `${widgets}/w1`);
    expect(got.status).toBe(200);
    expect(got.json.kind).toBe('Widget');

    const bad = await apply(`${widgets}/w2`, `apiVersion: ${CRD_GROUP}/v1\nkind: Widget\nmetadata:\n  name: w2\n  namespace: ${NS}\nspec:\n  size: 0\n`, 'kubeplan-smoke');
    expect(bad.status).toBe(422);
    expect(bad.json.message).toMatch(/spec\.size/);
  });

  it('lists built-in and CRD group-versions at /openapi/v3, matching the shared 1.35 data', async () => {
    const root = await eventually('the CRD in /openapi/v3', async () => {
      const r = await request('GET', '/openapi/v3');
      return r.status === 200 && r.json.paths[`apis/${CRD_GROUP}/v1`] ? r.json : undefined;
    });
    for (const gv of ['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/apiextensions.k8s.io/v1', `apis/${CRD_GROUP}/v1`]) {
      expect(root.paths[gv]?.serverRelativeURL, gv).toMatch(new RegExp(`^/openapi/v3/${gv.replace(/\./g, '\\.')}\\?hash=`));
    }

    const crdDoc = await request('GET', root.paths[`apis/${CRD_GROUP}/v1`].serverRelativeURL);
    expect(crdDoc.status).toBe(200);
    const widget = crdDoc.json.components.schemas['dev.kubeplan.smoke.v1.Widget'];
    expect(widget['x-kubernetes-group-version-kind']).toEqual([{ group: CRD_GROUP, version: 'v1', kind: 'Widget' }]);
    expect(widget.properties.spec.required).toEqual(['size']);

    const apps = await request('GET', root.paths['apis/apps/v1'].serverRelativeURL);
    expect(apps.json.components.schemas['io.k8s.api.apps.v1.Deployment']).toBeDefined();
    const shared = fileURLToPath(new URL('../../../shared/openapi-v3/kubernetes-v1.35/apis/apps/v1.json', import.meta.url));
    if (cluster?.versions.kubernetes.startsWith('v1.35.') && existsSync(shared)) {
      const want = JSON.parse(readFileSync(shared, 'utf8')) as { components: { schemas: Record<string, unknown> } };
      expect(Object.keys(apps.json.components.schemas).sort()).toEqual(Object.keys(want.components.schemas).sort());
      expect(apps.json.components.schemas['io.k8s.api.apps.v1.DeploymentSpec']).toEqual(want.components.schemas['io.k8s.api.apps.v1.DeploymentSpec']);
    } else {
      console.warn(`not comparing with ${path.relative(process.cwd(), shared)}: absent or not a 1.35 cluster`);
    }
  });

  it('returns the defaulted object from a server-side dry-run apply without persisting it', async () => {
    const r = await apply(deployPath('dry'), deploymentYaml('dry', { replicas: 1 }), 'x', '&dryRun=All');
    expect(r.status, r.text).toBe(201);
    const d = r.json;
    expect(d.metadata.name).toBe('dry');
    expect(d.metadata.managedFields[0].manager).toBe('x');
    expect(d.metadata.managedFields[0].operation).toBe('Apply');
    // Defaults the API server filled in, none of which the manifest set:
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
    expect(d.spec.template.spec.restartPolicy).toBe('Always');
    expect(d.spec.template.spec.dnsPolicy).toBe('ClusterFirst');
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
    const c = d.spec.template.spec.containers[0];
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.terminationMessagePath).toBe('/dev/termination-log');
    expect(c.terminationMessagePolicy).toBe('File');

    expect((await request('GET', deployPath('dry'))).status).toBe(404);
  });

  it("rejects changing a Deployment's spec.selector as an immutable field", async () => {
    const first = await apply(deployPath('immut'), deploymentYaml('immut', { replicas: 1, app: 'one' }), 'kubeplan-smoke');
    expect(first.status, first.text).toBe(201);
    const changed = await apply(deployPath('immut'), deploymentYaml('immut', { replicas: 1, app: 'two' }), 'kubeplan-smoke');
    expect(changed.status).toBe(422);
    expect(changed.json.reason).toBe('Invalid');
    expect(changed.json.message).toContain('field is immutable');
    expect(changed.json.details.causes.map((c: { field: string }) => c.field)).toContain('spec.selector');
    // A dry run reports the same error, which is what a plan needs to show it up front.
    const dry = await apply(deployPath('immut'), deploymentYaml('immut', { replicas: 1, app: 'two' }), 'kubeplan-smoke', '&dryRun=All');
    expect(dry.status).toBe(422);
    expect(dry.json.message).toContain('field is immutable');
  });

  it('answers 409 Conflict when a second field manager applies a field another owns', async () => {
    const cm = (value: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: ${NS}\ndata:\n  key: ${value}\n`;
    const cmPath = `/api/v1/namespaces/${NS}/configmaps/shared`;
    expect((await apply(cmPath, cm('alice'), 'alice')).status).toBe(201);

    const conflict = await apply(cmPath, cm('bob'), 'bob');
    expect(conflict.status).toBe(409);
    expect(conflict.json.reason).toBe('Conflict');
    expect(conflict.json.message).toContain('conflict with "alice"');
    expect(conflict.json.details.causes.map((c: { field: string }) => c.field)).toContain('.data.key');

    // Same value from both: shared ownership, no conflict.
    expect((await apply(cmPath, cm('alice'), 'carol')).status).toBe(200);

    const forced = await apply(cmPath, cm('bob'), 'bob', '&force=true');
    expect(forced.status).toBe(200);
    expect(forced.json.data.key).toBe('bob');
    const managers = forced.json.metadata.managedFields.map((f: { manager: string }) => f.manager);
    expect(managers).toContain('bob');
    expect(managers).not.toContain('alice');
  });

  it('works with the built kubectl: apply --server-side and diff', async () => {
    const c = cluster!;
    const file = path.join(c.dir, 'kubectl-smoke.yaml');
    const manifest = (value: string, replicas: number): string =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: via-kubectl\n  namespace: ${NS}\ndata:\n  greeting: ${value}\n---\n${deploymentYaml('via-kubectl', { replicas })}`;

    await writeFile(file, manifest('hello', 1));
    const before = await c.kubectl(['diff', '-f', file]);
    expect(before.code, before.stderr).toBe(1); // 1 = differences found (objects don't exist yet)
    expect(before.stdout).toContain('+  greeting: hello');

    const applied = await c.kubectl(['apply', '--server-side', '--field-manager=kubeplan-smoke', '-f', file]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('configmap/via-kubectl serverside-applied');
    expect(applied.stdout).toContain('deployment.apps/via-kubectl serverside-applied');

    // kubectl diff shows status too: wait until the Deployment's controller has stopped writing it (rollout
    // done), else its update between diff's GET and dry-run shows as a difference.
    const rollout = await c.kubectl(['rollout', 'status', 'deployment/via-kubectl', '-n', NS, '--timeout=60s']);
    expect(rollout.code, rollout.stderr).toBe(0);
    const same = await c.kubectl(['diff', '--server-side', '--field-manager=kubeplan-smoke', '-f', file]);
    expect(same.code, same.stderr + same.stdout).toBe(0);

    await writeFile(file, manifest('bonjour', 3));
    const changed = await c.kubectl(['diff', '--server-side', '--field-manager=kubeplan-smoke', '-f', file]);
    expect(changed.code, changed.stderr).toBe(1);
    expect(changed.stdout).toContain('-  greeting: hello');
    expect(changed.stdout).toContain('+  greeting: bonjour');
    expect(changed.stdout).toMatch(/-\s+replicas: 1/);
    expect(changed.stdout).toMatch(/\+\s+replicas: 3/);

    const got = await c.kubectl(['get', 'configmap', 'via-kubectl', '-n', NS, '-o', 'jsonpath={.data.greeting}']);
    expect(got.stdout).toBe('hello'); // diff changed nothing
  });
});
