// Every server default and cluster-assigned field of the planner's offline table, checked against a
// real kube-apiserver: each object is applied (server-side, as kubeplan), read back, and planned
// offline against what the server stored — with managedFields (SSA ownership) and without them
// (a plain `kubectl get -o yaml` snapshot: a two-way compare). Both must be noops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterBinDir, isCI, missingBinaries, missingBinariesMessage, startCluster, tail, type Cluster } from './harness.ts';
import { describeChanges, manifestsOf, PlanCluster, planAgainst, withoutOwnership } from './plan-helpers.ts';

const missing = missingBinaries(clusterBinDir());
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(clusterBinDir(), missing)}`);

const NS = 'plan-defaults';

const CASES: [string, string][] = [
  [
    'Deployment: pod spec, container, probe, env, volume defaults; untagged image → Always',
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: full}
spec:
  selector: {matchLabels: {app: full}}
  template:
    metadata: {labels: {app: full}}
    spec:
      serviceAccountName: default
      initContainers:
        - {name: init, image: "busybox:1.36", command: [sh, -c, "true"]}
      containers:
        - name: web
          image: nginx
          ports: [{containerPort: 80, name: http}, {containerPort: 53, protocol: UDP}]
          env:
            - {name: A, value: "1"}
            - name: POD
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            - name: CPU
              valueFrom: {resourceFieldRef: {resource: limits.cpu}}
          resources: {requests: {cpu: 0.1, memory: 64Mi}, limits: {cpu: 1000m, memory: 0.5Gi}}
          livenessProbe: {httpGet: {port: http}}
          readinessProbe: {tcpSocket: {port: 80}, initialDelaySeconds: 2}
          startupProbe: {exec: {command: ["true"]}}
          lifecycle: {preStop: {httpGet: {port: 80}}}
          volumeMounts: [{name: cfg, mountPath: /cfg}, {name: tmp, mountPath: /tmp}]
      volumes:
        - {name: cfg, configMap: {name: cfg}}
        - {name: sec, secret: {secretName: sec}}
        - {name: tmp, emptyDir: {sizeLimit: 1024Mi}}
        - {name: host, hostPath: {path: /var/log}}
        - name: info
          downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: cpu, resourceFieldRef: {containerName: web, resource: limits.cpu}}]}
        - name: proj
          projected: {sources: [{serviceAccountToken: {path: token}}, {configMap: {name: cfg}}, {downwardAPI: {items: [{path: podname, fieldRef: {fieldPath: metadata.name}}]}}]}
`,
  ],
  ['Deployment: Recreate strategy, digest image', `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: recreate}\nspec:\n  replicas: 0\n  strategy: {type: Recreate}\n  selector: {matchLabels: {app: r}}\n  template:\n    metadata: {labels: {app: r}}\n    spec: {containers: [{name: c, image: "nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000"}]}\n`],
  [
    'StatefulSet: updateStrategy, retention policy, podManagementPolicy, volumeClaimTemplates',
    `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 0\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: db, image: "postgres:17"}]}\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n`,
  ],
  ['StatefulSet: explicit RollingUpdate without rollingUpdate', `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db2}\nspec:\n  replicas: 0\n  serviceName: db2\n  updateStrategy: {type: RollingUpdate}\n  selector: {matchLabels: {app: db2}}\n  template:\n    metadata: {labels: {app: db2}}\n    spec: {containers: [{name: db, image: "postgres:17"}]}\n`],
  ['DaemonSet', `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec: {nodeSelector: {none: none}, containers: [{name: a, image: "agent:1"}]}\n`],
  ['ReplicationController', `apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  replicas: 0\n  template:\n    metadata: {labels: {app: rc}}\n    spec: {containers: [{name: a, image: "a:1"}]}\n`],
  ['Job: generated selector and labels, Job defaults', `apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  suspend: true\n  template:\n    metadata: {labels: {app: migrate}}\n    spec: {restartPolicy: Never, containers: [{name: m, image: "migrate:1"}]}\n`],
  ['CronJob', `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\nspec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec: {restartPolicy: OnFailure, containers: [{name: c, image: "job:2"}]}\n`],
  ['Service: ClusterIP, targetPort = port, protocol TCP, cluster-assigned IPs', `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{name: http, port: 80}, {name: dns, port: 53, protocol: UDP, targetPort: 5353}]\n`],
  ['Service: NodePort (nodePorts assigned)', `apiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n`],
  ['Service: LoadBalancer', `apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports: [{port: 443}]\n`],
  ['Service: headless', `apiVersion: v1\nkind: Service\nmetadata: {name: headless}\nspec:\n  clusterIP: None\n  selector: {app: db}\n  ports: [{port: 5432}]\n`],
  ['Service: ExternalName', `apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: db.example.com}\n`],
  ['Service: ClientIP affinity', `apiVersion: v1\nkind: Service\nmetadata: {name: sticky}\nspec:\n  sessionAffinity: ClientIP\n  selector: {app: web}\n  ports: [{port: 80}]\n`],
  ['Secret: stringData and type Opaque', `apiVersion: v1\nkind: Secret\nmetadata: {name: sec}\nstringData: {password: not-a-real-one}\ndata: {user: YWRtaW4=}\n`],
  ['ConfigMap with empty annotations', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, annotations: {}}\ndata: {a: "1"}\n`],
  ['ServiceAccount', `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web}\n`],
  ['Namespace (metadata.name label, kubernetes finalizer)', `apiVersion: v1\nkind: Namespace\nmetadata: {name: plan-defaults-extra}\n`],
  ['PersistentVolumeClaim (Quantity, volumeMode)', `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1024Mi}}\n`],
  ['PersistentVolume', `apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-defaults}\nspec:\n  capacity: {storage: 0.5Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /data}\n`],
  ['HPA v2 without metrics (default CPU 80%)', `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h1}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: full}\n  maxReplicas: 3\n`],
  ['HPA v2 with a partial behavior', `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h2}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: full}\n  minReplicas: 2\n  maxReplicas: 5\n  metrics: [{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 60}}}]\n  behavior: {scaleDown: {stabilizationWindowSeconds: 120}}\n`],
  ['PodDisruptionBudget', `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec: {maxUnavailable: 1, selector: {matchLabels: {app: web}}}\n`],
  ['NetworkPolicy (policyTypes, port protocol)', `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress: [{ports: [{port: 80}]}]\n  egress: [{ports: [{port: 53, protocol: UDP}]}]\n`],
  ['Ingress', `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  rules:\n    - host: shop.example.com\n      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}\n`],
  ['Role and RoleBinding (subject apiGroup defaults)', `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: [{apiGroups: [""], resources: [pods], verbs: [get]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rb}\nroleRef: {kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: web}, {kind: User, name: alice}, {kind: Group, name: devs}]\n`],
  ['ClusterRole aggregated (rules filled by the controller)', `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: plan-defaults-aggregate}\naggregationRule:\n  clusterRoleSelectors: [{matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}]\n`],
  [
    'Mutating and validating webhooks (failurePolicy, matchPolicy, selectors, timeout, scope, port)',
    `apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata: {name: plan-defaults-m}\nwebhooks:\n  - name: m.example.com\n    admissionReviewVersions: [v1]\n    sideEffects: None\n    clientConfig: {service: {name: hook, namespace: ${NS}, path: /m}}\n    rules: [{apiGroups: [example.com], apiVersions: [v1], operations: [CREATE], resources: [widgets]}]\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata: {name: plan-defaults-v}\nwebhooks:\n  - name: v.example.com\n    admissionReviewVersions: [v1]\n    sideEffects: None\n    clientConfig: {url: "https://hook.example.com/v"}\n    rules: [{apiGroups: [example.com], apiVersions: [v1], operations: [CREATE], resources: [widgets]}]\n`,
  ],
  [
    'CustomResourceDefinition (conversion strategy None)',
    `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: gadgets.plan.kubeplan.dev}\nspec:\n  group: plan.kubeplan.dev\n  scope: Namespaced\n  names: {kind: Gadget, plural: gadgets}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true}}}}\n`,
  ],
  ['PriorityClass, StorageClass, IngressClass', `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: plan-defaults-high}\nvalue: 1000\n---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: plan-defaults-sc}\nprovisioner: example.com/none\n---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: plan-defaults-ic}\nspec: {controller: example.com/ingress}\n`],
  ['ResourceQuota and LimitRange (Quantities)', `apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {requests.cpu: "2", requests.memory: 2048Mi, pods: "10"}}\n---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: lr}\nspec: {limits: [{type: Container, max: {cpu: 2000m}, min: {memory: 0.0625Gi}}]}\n`],
];

describe.skipIf(skip)('planner defaults against a real API server (offline plan of the server\'s object is a noop)', () => {
  let cluster: Cluster | undefined;
  let pc: PlanCluster;
  let failed = false;

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1 });
    pc = await PlanCluster.connect(cluster.kubeconfigPath);
    await pc.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  afterAll(async () => {
    if (cluster && failed) console.error(tail(cluster.logs(), 60));
    pc?.client.close();
    await cluster?.stop();
  });

  it.each(CASES)('%s', async (_name, yaml) => {
    const desired = manifestsOf(yaml);
    const live = [];
    for (const m of desired) {
      await pc.apply(m.object, NS);
      live.push(await pc.get(m.object, NS));
    }
    const withOwnership = planAgainst(desired, live, { defaultNamespace: NS });
    const twoWay = planAgainst(desired, live.map(withoutOwnership), { defaultNamespace: NS });
    try {
      expect(describeChanges(withOwnership), 'with managedFields').toBe('');
      expect(describeChanges(twoWay), 'without managedFields (two-way)').toBe('');
      expect(withOwnership.changes.every((c) => c.action === 'noop')).toBe(true);
    } catch (e) {
      failed = true;
      console.error(`${_name}\n--- with managedFields:\n${describeChanges(withOwnership)}\n--- two-way:\n${describeChanges(twoWay)}`);
      throw e;
    }
  });
});
