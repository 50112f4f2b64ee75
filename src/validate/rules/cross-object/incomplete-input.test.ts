// A file that fails to parse hides its objects: no rule may then call anything missing (kube-linter #249, #669,
// #272: broken templates cascading into "dangling" findings). Every would-be error becomes an info finding that says why.
import { describe, expect, it } from 'vitest';
import type { Rule } from '../rule.ts';
import { configmapRefMissing } from './configmap-ref-missing.ts';
import { hpaTargetMissing } from './hpa-target-missing.ts';
import { ingressBackendMissing } from './ingress-backend-missing.ts';
import { networkpolicySelectsNothing } from './networkpolicy-selects-nothing.ts';
import { pdbSelectsNoPods } from './pdb-selects-no-pods.ts';
import { pvcMissing } from './pvc-missing.ts';
import { serviceSelectorNoMatch } from './service-selector-no-match.ts';
import { serviceaccountMissing } from './serviceaccount-missing.ts';
import { statefulsetServiceInvalid } from './statefulset-service-invalid.ts';
import { run } from './test-support.ts';

// Every reference below is broken, and the namespace has one object of each kind so that each would be conclusive.
const yaml = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db-headless
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      serviceAccountName: db
      volumes: [{name: d, persistentVolumeClaim: {claimName: data}}, {name: c, configMap: {name: cfg}}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: other}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: other}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i}
spec: {defaultBackend: {service: {name: api, port: {number: 80}}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: p}
spec: {selector: {matchLabels: {app: web}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: n}
spec: {podSelector: {matchLabels: {app: web}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: web}}
`;

const rules: Rule[] = [configmapRefMissing, hpaTargetMissing, ingressBackendMissing, networkpolicySelectsNothing, pdbSelectsNoPods, pvcMissing, serviceSelectorNoMatch, serviceaccountMissing, statefulsetServiceInvalid];

describe('incomplete input turns "missing" into "unknown"', () => {
  it.each(rules.map((r) => [r.meta.id, r] as const))('%s', (_id, rule) => {
    const complete = run(rule, yaml).findings;
    expect(complete.length, 'the fixture should be a conclusive failure for this rule').toBeGreaterThan(0);
    expect(complete.every((f) => f.severity !== 'info')).toBe(true);
    const partial = run(rule, yaml, { context: { graphOptions: { unparsedFiles: ['broken.yaml'] } } }).findings;
    expect(partial.map((f) => f.severity)).toEqual(complete.map(() => 'info'));
    for (const f of partial) expect(f.message).toMatch(/a file of the input could not be parsed \(broken\.yaml\)/);
  });
});
