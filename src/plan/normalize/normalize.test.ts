// Normalization rules, each as desired-vs-live pairs that must plan as noop (or as exactly the listed
// change). Case ids T1–T45 refer to /work/shared/research/gitops.md §10.
import { describe, expect, it } from 'vitest';
import { only, paths, plan } from '../testing/helpers.ts';
import { normalizeObject, pruneEmpty } from './index.ts';
import { defaultPullPolicy } from './defaults.ts';

const deploymentDesired = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
          resources:
            requests: {cpu: 0.5, memory: 1024Mi}
            limits: {cpu: 1000m, memory: 2Gi}
          readinessProbe:
            httpGet: {port: 80}
          env:
            - name: MODE
              value: prod
            - name: POD_NAME
              valueFrom:
                fieldRef: {fieldPath: metadata.name}
      volumes:
        - name: config
          configMap: {name: web}
        - name: scratch
          emptyDir: {}
`;

// What the API server returns for it (v1.35): server metadata, status, every default filled in.
const deploymentLive = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  uid: 9d2c6a8e-0000-4000-8000-000000000001
  resourceVersion: "48213"
  generation: 3
  creationTimestamp: "2026-01-01T10:00:00Z"
  labels: {app: web}
  annotations:
    deployment.kubernetes.io/revision: "3"
  managedFields:
    - manager: kubeplan
      operation: Apply
      apiVersion: apps/v1
      fieldsType: FieldsV1
      fieldsV1: {"f:metadata": {"f:labels": {"f:app": {}}}, "f:spec": {"f:replicas": {}}}
spec:
  progressDeadlineSeconds: 600
  replicas: 2
  revisionHistoryLimit: 10
  selector:
    matchLabels: {app: web}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}
  template:
    metadata:
      creationTimestamp: null
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          imagePullPolicy: IfNotPresent
          ports:
            - containerPort: 80
              protocol: TCP
          resources:
            requests: {cpu: 500m, memory: 1Gi}
            limits: {cpu: "1", memory: 2Gi}
          readinessProbe:
            httpGet: {path: /, port: 80, scheme: HTTP}
            timeoutSeconds: 1
            periodSeconds: 10
            successThreshold: 1
            failureThreshold: 3
          env:
            - name: MODE
              value: prod
            - name: POD_NAME
              valueFrom:
                fieldRef: {apiVersion: v1, fieldPath: metadata.name}
          terminationMessagePath: /dev/termination-log
          terminationMessagePolicy: File
      volumes:
        - name: config
          configMap: {name: web, defaultMode: 420}
        - name: scratch
          emptyDir: {}
      dnsPolicy: ClusterFirst
      restartPolicy: Always
      schedulerName: default-scheduler
      securityContext: {}
      serviceAccount: web
      serviceAccountName: web
      terminationGracePeriodSeconds: 30
status:
  observedGeneration: 3
  replicas: 2
  readyReplicas: 2
`;

describe('normalization: server metadata, status and defaults (§9)', () => {
  it('T35/T2/T6: a Deployment equal up to server metadata, status, defaults and Quantity forms is a noop', () => {
    const c = only(plan(deploymentDesired, deploymentLive));
    expect(paths(c)).toEqual([]);
    expect(c.action).toBe('noop');
  });

  it('T11: a field in the repo changed by hand in live is reverted (update)', () => {
    const c = only(plan(deploymentDesired, deploymentLive.replace('image: nginx:1.27', 'image: nginx:1.28')));
    expect(c.action).toBe('update');
    expect(c.changes).toEqual([
      expect.objectContaining({ path: 'spec.template.spec.containers[name=web].image', op: 'replace', before: 'nginx:1.28', after: 'nginx:1.27' }),
    ]);
  });

  it('T35: generation, resourceVersion and managedFields timestamps alone are no change', () => {
    const bumped = deploymentLive.replace('generation: 3', 'generation: 9').replace('resourceVersion: "48213"', 'resourceVersion: "99999"');
    expect(only(plan(deploymentDesired, bumped)).action).toBe('noop');
  });

  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['registry.local:5000/nginx', 'Always'],
    ['registry.local:5000/nginx:1.2', 'IfNotPresent'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
    ['nginx:1.27', 'IfNotPresent'],
  ])('imagePullPolicy default for %s is %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });

  it('a default the live object does not have (someone set imagePullPolicy: Always) shows as an update to the default', () => {
    const c = only(plan(deploymentDesired, deploymentLive.replace('imagePullPolicy: IfNotPresent', 'imagePullPolicy: Always')));
    expect(paths(c)).toEqual(['replace spec.template.spec.containers[name=web].imagePullPolicy']);
  });

  it('T1: Service without type/sessionAffinity/targetPort/protocol vs live with defaults, clusterIP(s), ipFamilies: noop', () => {
    const desired = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
`;
    const live = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, uid: u1, resourceVersion: "1", creationTimestamp: "2026-01-01T00:00:00Z"}
spec:
  clusterIP: 10.96.12.34
  clusterIPs: [10.96.12.34]
  internalTrafficPolicy: Cluster
  ipFamilies: [IPv4]
  ipFamilyPolicy: SingleStack
  ports: [{name: http, port: 80, protocol: TCP, targetPort: 80}]
  selector: {app: web}
  sessionAffinity: None
  type: ClusterIP
status: {loadBalancer: {}}
`;
    expect(paths(only(plan(desired, live)))).toEqual([]);
  });

  it('NodePort Service: nodePorts assigned by the cluster are kept when the repo leaves them out; externalTrafficPolicy defaults', () => {
    const desired = `
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;
    const live = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  type: NodePort
  clusterIP: 10.0.0.1
  clusterIPs: [10.0.0.1]
  externalTrafficPolicy: Cluster
  internalTrafficPolicy: Cluster
  ipFamilies: [IPv4]
  ipFamilyPolicy: SingleStack
  ports: [{port: 80, targetPort: http, protocol: TCP, nodePort: 31234}]
  selector: {app: web}
  sessionAffinity: None
`;
    expect(paths(only(plan(desired, live)))).toEqual([]);
  });

  it('T4: Secret stringData in the repo equals base64 data in live; type Opaque is the default', () => {
    const desired = `
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {user: admin}
data: {token: dG9rZW4=}
`;
    const live = `
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: default}
type: Opaque
data: {user: YWRtaW4=, token: dG9rZW4=}
`;
    expect(only(plan(desired, live)).action).toBe('noop');
  });

  it('T30: empty annotations/resources/env in the repo equal absent fields live', () => {
    const desired = deploymentDesired.replace('labels: {app: web}\nspec:', 'labels: {app: web}\n  annotations: {}\nspec:').replace('- name: web\n          image', '- name: web\n          envFrom: []\n          image');
    expect(only(plan(desired, deploymentLive)).action).toBe('noop');
  });

  it('T25: webhook caBundle injected live and absent in the repo; webhook defaults: noop', () => {
    const desired = `
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: inject}
webhooks:
  - name: inject.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      service: {name: injector, namespace: system, path: /mutate}
    rules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
`;
    const live = `
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: inject, uid: u, resourceVersion: "5"}
webhooks:
  - name: inject.example.com
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      caBundle: LS0tLS1CRUdJTi1DRVJUSUZJQ0FURS0tLS0t
      service: {name: injector, namespace: system, path: /mutate, port: 443}
    failurePolicy: Fail
    matchPolicy: Equivalent
    namespaceSelector: {}
    objectSelector: {}
    reinvocationPolicy: Never
    timeoutSeconds: 10
    rules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods], scope: "*"}
`;
    expect(paths(only(plan(desired, live)))).toEqual([]);
  });

  it('T26: aggregated ClusterRole: rules filled in by the controller are no diff', () => {
    const desired = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}}]
`;
    const live = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}}]
rules:
  - {apiGroups: [""], resources: [pods], verbs: [get, list]}
`;
    expect(only(plan(desired, live)).action).toBe('noop');
  });

  it('T27: ServiceAccount token secrets added by the cluster are no diff', () => {
    const desired = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
imagePullSecrets: [{name: regcred}]
`;
    const live = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
secrets: [{name: web-token-x7k2p}, {name: web-dockercfg-abcde}]
imagePullSecrets: [{name: regcred}, {name: web-dockercfg-abcde}]
`;
    expect(only(plan(desired, live)).action).toBe('noop');
  });

  it('PVC: volumeName and the default storageClassName assigned by the cluster, volumeMode default, bind annotations: noop', () => {
    const desired = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1024Mi}}
`;
    const live = `
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: shop
  annotations:
    pv.kubernetes.io/bind-completed: "yes"
    pv.kubernetes.io/bound-by-controller: "yes"
    volume.kubernetes.io/storage-provisioner: rancher.io/local-path
  finalizers: [kubernetes.io/pvc-protection]
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
  storageClassName: standard
  volumeMode: Filesystem
  volumeName: pvc-3f0c
status: {phase: Bound}
`;
    expect(paths(only(plan(desired, live)))).toEqual([]);
  });

  it('Namespace: kubernetes.io/metadata.name label and the kubernetes finalizer are the server\'s', () => {
    const live = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {kubernetes.io/metadata.name: shop, team: a}}
spec: {finalizers: [kubernetes]}
status: {phase: Active}
`;
    expect(only(plan('apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: a}}\n', live)).action).toBe('noop');
  });

  it('Job: the generated selector and controller labels, Job defaults and labels copied from the template: noop', () => {
    const desired = `
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    metadata: {labels: {app: migrate}}
    spec:
      restartPolicy: Never
      containers: [{name: m, image: "migrate:1"}]
`;
    const live = `
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
  labels: {app: migrate, batch.kubernetes.io/controller-uid: abc, batch.kubernetes.io/job-name: migrate, controller-uid: abc, job-name: migrate}
spec:
  backoffLimit: 6
  completionMode: NonIndexed
  completions: 1
  manualSelector: false
  parallelism: 1
  podReplacementPolicy: TerminatingOrFailed
  selector: {matchLabels: {batch.kubernetes.io/controller-uid: abc}}
  suspend: false
  template:
    metadata:
      creationTimestamp: null
      labels: {app: migrate, batch.kubernetes.io/controller-uid: abc, batch.kubernetes.io/job-name: migrate, controller-uid: abc, job-name: migrate}
    spec:
      containers:
        - {name: m, image: "migrate:1", imagePullPolicy: IfNotPresent, terminationMessagePath: /dev/termination-log, terminationMessagePolicy: File, resources: {}}
      dnsPolicy: ClusterFirst
      restartPolicy: Never
      schedulerName: default-scheduler
      securityContext: {}
      terminationGracePeriodSeconds: 30
`;
    // manualSelector: false is what the registry stores when it generates the selector.
    expect(paths(only(plan(desired, live)))).toEqual([]);
  });

  it('StatefulSet: updateStrategy, PVC retention policy, podManagementPolicy and volumeClaimTemplate defaults (v1.35)', () => {
    const desired = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "postgres:17"}]}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`;
    const live = `
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  persistentVolumeClaimRetentionPolicy: {whenDeleted: Retain, whenScaled: Retain}
  podManagementPolicy: OrderedReady
  replicas: 1
  revisionHistoryLimit: 10
  selector: {matchLabels: {app: db}}
  serviceName: db
  template:
    metadata: {creationTimestamp: null, labels: {app: db}}
    spec:
      containers: [{name: db, image: "postgres:17", imagePullPolicy: IfNotPresent, resources: {}, terminationMessagePath: /dev/termination-log, terminationMessagePolicy: File}]
      dnsPolicy: ClusterFirst
      restartPolicy: Always
      schedulerName: default-scheduler
      securityContext: {}
      terminationGracePeriodSeconds: 30
  updateStrategy:
    rollingUpdate: {maxUnavailable: 1, partition: 0}
    type: RollingUpdate
  volumeClaimTemplates:
    - apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {creationTimestamp: null, name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, volumeMode: Filesystem}
      status: {phase: Pending}
`;
    expect(paths(only(plan(desired, live)))).toEqual([]);
  });

  it('CronJob defaults: concurrencyPolicy, suspend, history limits', () => {
    const desired = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec: {restartPolicy: OnFailure, containers: [{name: c, image: "job:2"}]}
`;
    const live = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: default}
spec:
  concurrencyPolicy: Allow
  failedJobsHistoryLimit: 1
  successfulJobsHistoryLimit: 3
  suspend: false
  schedule: "0 3 * * *"
  jobTemplate:
    metadata: {creationTimestamp: null}
    spec:
      template:
        metadata: {creationTimestamp: null}
        spec:
          containers: [{name: c, image: "job:2", imagePullPolicy: IfNotPresent, resources: {}, terminationMessagePath: /dev/termination-log, terminationMessagePolicy: File}]
          dnsPolicy: ClusterFirst
          restartPolicy: OnFailure
          schedulerName: default-scheduler
          securityContext: {}
          terminationGracePeriodSeconds: 30
`;
    expect(paths(only(plan(desired, live)))).toEqual([]);
  });

  it('T8: spec.replicas of a workload an HPA in the repo scales is the HPA\'s; setting it in the repo warns', () => {
    const hpa = `
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 10
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}]
`;
    const p = plan(deploymentDesired + hpa, deploymentLive.replace('replicas: 2\n  revisionHistoryLimit', 'replicas: 7\n  revisionHistoryLimit'));
    const dep = p.changes.find((x) => x.object.kind === 'Deployment');
    expect(dep?.action).toBe('noop');
    expect(dep?.warnings.map((w) => w.rule)).toContain('hpa-replicas');
  });

  it('T3: Quantities inside a custom resource (embedded ResourceRequirements, and schema-declared Quantity paths)', () => {
    const desired = `
apiVersion: example.com/v1
kind: Rollout
metadata: {name: r, namespace: shop}
spec:
  template: {spec: {containers: [{name: a, image: "a:1", resources: {requests: {cpu: 0.25}}}]}}
  cacheSize: 1024Mi
`;
    const live = `
apiVersion: example.com/v1
kind: Rollout
metadata: {name: r, namespace: shop}
spec:
  template: {spec: {containers: [{name: a, image: "a:1", resources: {requests: {cpu: 250m}}}]}}
  cacheSize: 1Gi
`;
    const kindInfo = () => ({ group: 'example.com', version: 'v1', kind: 'Rollout', namespaced: true, listMapKeys: {}, quantityPaths: ['spec.cacheSize'] });
    expect(paths(only(plan(desired, live, {}, kindInfo)))).toEqual([]);
    // Without the schema, only the embedded ResourceRequirements are known to be Quantities.
    expect(paths(only(plan(desired, live)))).toEqual(['replace spec.cacheSize']);
  });

  it('T3: schema Quantity paths with "*" (map values, list items) match any one key, and nothing deeper or beside', () => {
    const desired = `
apiVersion: example.com/v1
kind: Pool
metadata: {name: p, namespace: shop}
spec:
  budgets: {cpu: "0.5", memory: 1024Mi, nested: {cpu: "0.5"}}
  tiers: [{size: 2048Mi}]
  notes: {cpu: "0.5"}
`;
    const live = `
apiVersion: example.com/v1
kind: Pool
metadata: {name: p, namespace: shop}
spec:
  budgets: {cpu: 500m, memory: 1Gi, nested: {cpu: 500m}}
  tiers: [{size: 2Gi}]
  notes: {cpu: 500m}
`;
    const kindInfo = () => ({ group: 'example.com', version: 'v1', kind: 'Pool', namespaced: true, listMapKeys: {}, quantityPaths: ['spec.budgets.*', 'spec.tiers[*].size'] });
    expect(paths(only(plan(desired, live, {}, kindInfo))).sort()).toEqual(['replace spec.budgets.nested.cpu', 'replace spec.notes.cpu']);
  });

  it('T32: HPA spec.metrics reordered by the controller is no change', () => {
    const desired = `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
  metrics:
    - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}
    - {type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}}
`;
    const live = desired.replace('metadata: {name: web}', 'metadata: {name: web, namespace: default}').replace(/(    - \{type: Resource, resource: \{name: cpu.*\n)(    - .*memory.*\n)/, '$2$1');
    expect(live).not.toBe(desired);
    expect(only(plan(desired, live)).action).toBe('noop');
  });

  it('server-managed metadata, status and tool annotations are stripped', () => {
    const n = normalizeObject(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'c',
          namespace: 'x',
          uid: 'u',
          resourceVersion: '1',
          generation: 1,
          creationTimestamp: '2026-01-01T00:00:00Z',
          selfLink: '/api/v1/x',
          managedFields: [],
          deletionGracePeriodSeconds: 30,
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' },
        },
        data: { a: '1' },
        status: { x: 1 },
      },
      { gk: 'ConfigMap' },
    );
    expect(n).toEqual({ kind: 'ConfigMap', metadata: { name: 'c', annotations: { keep: 'me' } }, data: { a: '1' } });
  });

  it('empty ≡ absent keeps emptyDir: {} (a volume type) and list items', () => {
    const v = { a: {}, b: [], c: null, volumes: [{ name: 'x', emptyDir: {} }], d: { e: {} }, f: [{}] };
    pruneEmpty(v);
    expect(v).toEqual({ volumes: [{ name: 'x', emptyDir: {} }], f: [{}] });
  });

  it('int-or-string values are compared by type and value: "80" (a name) is not 80 (a number)', () => {
    const svc = (tp: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: default}\nspec: {selector: {a: b}, ports: [{port: 80, targetPort: ${tp}}]}\n`;
    expect(only(plan(svc('8080'), svc('8080'))).action).toBe('noop');
    expect(only(plan(svc('http'), svc('8080'))).action).toBe('update');
  });
});

describe('ownership: what a server-side apply would really change (T10, T34, T45)', () => {
  const cm = (data: string, extra = '') => `
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: shop
${extra}data: ${data}
`;
  it('T10: an annotation added by hand (owned by kubectl-edit) is not removed: noop', () => {
    const live = cm(
      '{a: "1"}',
      `  annotations: {note: by-hand}
  managedFields:
    - {manager: kubeplan, operation: Apply, fieldsV1: {"f:data": {"f:a": {}}}}
    - {manager: kubectl-edit, operation: Update, fieldsV1: {"f:metadata": {"f:annotations": {"f:note": {}}}}}
`,
    ).replace('  namespace: shop\n', '  namespace: shop\n');
    expect(only(plan(cm('{a: "1"}'), live)).action).toBe('noop');
  });

  it('T10 without any ownership information: a two-way compare plans the removal, and the plan says why', () => {
    const p = plan(cm('{a: "1"}'), cm('{a: "1", b: "2"}'));
    expect(paths(only(p))).toEqual(['remove data.b']);
    expect(p.live.notes.join('\n')).toMatch(/neither managedFields nor kubectl's last-applied-configuration/);
  });

  it('T34: a key removed from the repo that kubeplan applied before is removed', () => {
    const live = cm('{a: "1", b: "2"}', '  managedFields:\n    - {manager: kubeplan, operation: Apply, fieldsV1: {"f:data": {"f:a": {}, "f:b": {}}}}\n');
    expect(paths(only(plan(cm('{a: "1"}'), live)))).toEqual(['remove data.b']);
  });

  it('T34 with kubectl client-side apply: fields in last-applied-configuration but not in the repo are removed, others kept', () => {
    const live = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: shop
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"shop"},"data":{"a":"1","b":"2"}}'
data: {a: "1", b: "2", c: "from-someone-else"}
`;
    expect(paths(only(plan(cm('{a: "1"}'), live)))).toEqual(['remove data.b']);
  });

  it('T45: a field another manager owns with a different value is a conflict warning', () => {
    const live = cm('{a: "2"}', '  managedFields:\n    - {manager: kubeplan, operation: Apply, fieldsV1: {"f:data": {}}}\n    - {manager: flux, operation: Apply, fieldsV1: {"f:data": {"f:a": {}}}}\n');
    const c = only(plan(cm('{a: "1"}'), live));
    expect(c.action).toBe('update');
    expect(c.warnings).toEqual([expect.objectContaining({ rule: 'field-conflict', message: expect.stringContaining('flux') })]);
  });

  it('ignoreOtherManagers leaves fields other managers own alone', () => {
    const live = cm('{a: "2"}', '  managedFields:\n    - {manager: kubeplan, operation: Apply, fieldsV1: {"f:data": {}}}\n    - {manager: vpa-recommender, operation: Update, fieldsV1: {"f:data": {"f:a": {}}}}\n');
    expect(only(plan(cm('{a: "1"}'), live, { ignoreOtherManagers: ['vpa-recommender'] })).action).toBe('noop');
    expect(only(plan(cm('{a: "1"}'), live, { ignoreOtherManagers: true })).action).toBe('noop');
    expect(only(plan(cm('{a: "1"}'), live, { ignoreOtherManagers: ['someone-else'] })).action).toBe('update');
  });

  it('user ignore rules drop JSON pointers of matching objects on both sides', () => {
    const p = plan(cm('{a: "1", b: "x"}'), cm('{a: "1", b: "y"}'), { ignore: [{ kind: 'ConfigMap', name: 'cfg', jsonPointers: ['/data/b'] }] });
    expect(only(p).action).toBe('noop');
    const other = plan(cm('{a: "1", b: "x"}'), cm('{a: "1", b: "y"}'), { ignore: [{ kind: 'ConfigMap', name: 'other', jsonPointers: ['/data/b'] }] });
    expect(only(other).action).toBe('update');
  });
});

describe('bare Pods: what admission plugins and the scheduler add (ServiceAccount, DefaultTolerationSeconds, Priority)', () => {
  // The token volume, mounts, tolerations, service account, priority and nodeName as a v1.35 API server stores them
  // for a Pod applied from git (read back from the cluster tier's API server; see test/cluster/plan-bare-pods.test.ts).
  const TOKEN_VOLUME = `
    - name: kube-api-access-r7w8b
      projected:
        sources:
          - serviceAccountToken: {expirationSeconds: 3607, path: token}
          - configMap: {name: kube-root-ca.crt, items: [{key: ca.crt, path: ca.crt}]}
          - downwardAPI: {items: [{path: namespace, fieldRef: {apiVersion: v1, fieldPath: metadata.namespace}}]}
        defaultMode: 420`;
  const TOKEN_MOUNT = '{name: kube-api-access-r7w8b, readOnly: true, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}';
  const DEFAULT_TOLERATIONS = `
    - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
    - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}`;
  const SERVER_SPEC = `  restartPolicy: Always
  terminationGracePeriodSeconds: 30
  dnsPolicy: ClusterFirst
  serviceAccountName: default
  serviceAccount: default
  nodeName: kwok-node-0
  securityContext: {}
  schedulerName: default-scheduler
  priority: 0
  enableServiceLinks: true
  preemptionPolicy: PreemptLowerPriority
`;
  const container = (name: string, mounts: string[]) =>
    `    - {name: ${name}, image: "registry.k8s.io/pause:3.10", resources: {}, terminationMessagePath: /dev/termination-log, terminationMessagePolicy: File, imagePullPolicy: IfNotPresent${mounts.length ? `, volumeMounts: [${mounts.join(', ')}]` : ''}}`;
  const meta = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: default, uid: 25991c8e-38f9-4c28-9a2b-45628889aae6, resourceVersion: "263", generation: 1}\n`;

  const bareDesired = `apiVersion: v1\nkind: Pod\nmetadata: {name: bare}\nspec:\n  containers: [{name: c, image: "registry.k8s.io/pause:3.10"}]\n`;
  const bareLive = `${meta('bare')}spec:\n  volumes:${TOKEN_VOLUME}\n  containers:\n${container('c', [TOKEN_MOUNT])}\n  tolerations:${DEFAULT_TOLERATIONS}\n${SERVER_SPEC}status: {phase: Running}\n`;

  it('a bare Pod: token volume and mount, default tolerations, service account, priority, nodeName are no diff', () => {
    const c = only(plan(bareDesired, bareLive));
    expect(paths(c)).toEqual([]);
    expect(c.action).toBe('noop');
  });

  it('the same live Pod is a diff when the repo says automountServiceAccountToken: false (the plugin would not have mounted it)', () => {
    const desired = bareDesired.replace('spec:\n', 'spec:\n  automountServiceAccountToken: false\n');
    const c = only(plan(desired, bareLive));
    expect(paths(c)).toEqual(expect.arrayContaining(['add spec.automountServiceAccountToken', 'remove spec.volumes', 'remove spec.containers[name=c].volumeMounts']));
  });

  it('automountServiceAccountToken: false: no token volume live, none expected', () => {
    const desired = bareDesired.replace('spec:\n', 'spec:\n  automountServiceAccountToken: false\n');
    const live = `${meta('bare')}spec:\n  automountServiceAccountToken: false\n  containers:\n${container('c', [])}\n  tolerations:${DEFAULT_TOLERATIONS}\n${SERVER_SPEC}`;
    expect(only(plan(desired, live)).action).toBe('noop');
  });

  const volsDesired = `apiVersion: v1
kind: Pod
metadata: {name: vols}
spec:
  tolerations: [{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}]
  initContainers: [{name: init, image: "busybox:1.36", command: [sh, -c, "true"], volumeMounts: [{name: work, mountPath: /work}]}]
  containers:
    - name: c
      image: "registry.k8s.io/pause:3.10"
      volumeMounts: [{name: cfg, mountPath: /cfg}, {name: work, mountPath: /work}]
    - {name: d, image: "registry.k8s.io/pause:3.10"}
  volumes:
    - {name: cfg, configMap: {name: cfg}}
    - {name: work, emptyDir: {}}
`;
  const volsLive = `${meta('vols')}spec:
  volumes:
    - {name: cfg, configMap: {name: cfg, defaultMode: 420}}
    - {name: work, emptyDir: {}}${TOKEN_VOLUME}
  initContainers:
    - {name: init, image: "busybox:1.36", command: [sh, -c, "true"], resources: {}, terminationMessagePath: /dev/termination-log, terminationMessagePolicy: File, imagePullPolicy: IfNotPresent, volumeMounts: [{name: work, mountPath: /work}, ${TOKEN_MOUNT}]}
  containers:
${container('c', ['{name: cfg, mountPath: /cfg}', '{name: work, mountPath: /work}', TOKEN_MOUNT])}
${container('d', [TOKEN_MOUNT])}
  tolerations:
    - {key: dedicated, operator: Equal, value: batch, effect: NoSchedule}${DEFAULT_TOLERATIONS}
${SERVER_SPEC}`;

  it('a Pod with its own volumes, mounts, init container and toleration: the injected ones are appended, no diff', () => {
    expect(paths(only(plan(volsDesired, volsLive)))).toEqual([]);
  });

  it('the Pod\'s own volumes and mounts still compare', () => {
    const c = only(plan(volsDesired.replace('configMap: {name: cfg}', 'configMap: {name: cfg2}').replace('{name: cfg, mountPath: /cfg}', '{name: cfg, mountPath: /etc/cfg}'), volsLive));
    expect(paths(c)).toEqual(['remove spec.containers[name=c].volumeMounts[mountPath=/cfg]', 'add spec.containers[name=c].volumeMounts[mountPath=/etc/cfg]', 'replace spec.volumes[name=cfg].configMap.name']);
    expect(c.action).toBe('replace');
  });

  it('a toleration live has that neither the repo nor the plugin explains is a diff', () => {
    const live = volsLive.replace('    - {key: dedicated, operator: Equal, value: batch, effect: NoSchedule}', '    - {key: dedicated, operator: Equal, value: batch, effect: NoSchedule}\n    - {key: gpu, operator: Exists, effect: NoSchedule}');
    const c = only(plan(volsDesired, live));
    expect(paths(c)).toEqual(['replace spec.tolerations']);
  });

  it('a repo toleration that already tolerates not-ready (no key, NoExecute) means the plugin adds only unreachable… or nothing', () => {
    const desired = volsDesired.replace('[{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}]', '[{operator: Exists, effect: NoExecute}]');
    // The plugin would have added neither toleration: live carrying them is a diff.
    const live = volsLive.replace('    - {key: dedicated, operator: Equal, value: batch, effect: NoSchedule}', '    - {operator: Exists, effect: NoExecute}');
    expect(paths(only(plan(desired, live)))).toEqual(['replace spec.tolerations']);
    const asStored = live.replace(DEFAULT_TOLERATIONS, '');
    expect(paths(only(plan(desired, asStored)))).toEqual([]);
  });

  it('a container that mounts its own volume at the token path gets no injected mount; the others do', () => {
    const desired = volsDesired.replace('{name: d, image: "registry.k8s.io/pause:3.10"}', '{name: d, image: "registry.k8s.io/pause:3.10", volumeMounts: [{name: work, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]}');
    const live = volsLive.replace(container('d', [TOKEN_MOUNT]), container('d', ['{name: work, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}']));
    expect(paths(only(plan(desired, live)))).toEqual([]);
    // …and where live has the injected mount in d instead, the repo's own mount is a change.
    expect(paths(only(plan(desired, volsLive)))).toEqual([
      'replace spec.containers[name=d].volumeMounts[mountPath=/var/run/secrets/kubernetes.io/serviceaccount].name',
      'remove spec.containers[name=d].volumeMounts[mountPath=/var/run/secrets/kubernetes.io/serviceaccount].readOnly',
    ]);
  });
});
