import { getObject } from '../../../core/objects.ts';
import type { JsonObject } from '../../../core/types.ts';
import { isValidPathSegmentName } from '../../../k8s/names.ts';
import { FieldPath, invalid, notSupported, required } from './field.ts';
import { apiServerRule, isInt, objectItems, type Reporter } from './util.ts';

export const help = `# hpa-spec

**HorizontalPodAutoscaler settings the API server rejects.**

- \`minReplicas\`, when set, is at least 1; \`maxReplicas\` is at least 1 and not below \`minReplicas\`;
- \`scaleTargetRef.kind\` and \`scaleTargetRef.name\` are not empty and are path segments (no \`/\` or \`%\`);
- autoscaling/v1: \`targetCPUUtilizationPercentage\` is greater than 0;
- autoscaling/v2: each metric's \`type\` is \`Object\`, \`Pods\`, \`Resource\`, \`ContainerResource\` or \`External\`, its
  \`target.type\` is \`Utilization\`, \`Value\` or \`AverageValue\`, and \`averageUtilization\` is greater than 0.

Whether the target exists and can scale is checked by \`hpa-target-missing\` and \`hpa-target-not-scalable\`.

## Example

\`\`\`yaml
kind: HorizontalPodAutoscaler
spec:
  minReplicas: 5
  maxReplicas: 3     # spec.maxReplicas: Invalid value: 3: must be greater than or equal to \`minReplicas\`
\`\`\`
`;

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'];
const SOURCE_OF: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };

function checkMetrics(spec: JsonObject, sp: FieldPath, report: Reporter): void {
  for (const [i, metric] of objectItems(spec.metrics)) {
    const p = sp.child('metrics').index(i);
    const type = metric.type;
    if (type === '') report(p.child('type'), required(p.child('type'), 'must specify a metric source type'));
    else if (typeof type === 'string' && !METRIC_TYPES.includes(type)) report(p.child('type'), notSupported(p.child('type'), type, METRIC_TYPES));
    const key = typeof type === 'string' ? SOURCE_OF[type] : undefined;
    if (key === undefined) continue;
    const target = getObject(getObject(metric, key), 'target');
    const tp = p.child(key, 'target');
    const tt = target?.type;
    if (typeof tt === 'string' && tt !== '' && !TARGET_TYPES.includes(tt)) report(tp.child('type'), notSupported(tp.child('type'), tt, TARGET_TYPES));
    const util = target?.averageUtilization;
    if (isInt(util) && util <= 0) report(tp.child('averageUtilization'), invalid(tp.child('averageUtilization'), util, 'must be greater than 0'));
  }
}

export const hpaSpec = apiServerRule('hpa-spec', 'HorizontalPodAutoscaler replica bounds, target reference and metrics are what the API server accepts.', help, (info, report) => {
  if (info.group !== 'autoscaling' || info.kind !== 'HorizontalPodAutoscaler') return;
  const spec = getObject(info.object, 'spec');
  if (spec === undefined) return;
  const sp = FieldPath.root().child('spec');
  const min = spec.minReplicas;
  const max = spec.maxReplicas;
  if (isInt(min) && min < 1) report(sp.child('minReplicas'), invalid(sp.child('minReplicas'), min, 'must be greater than or equal to 1'));
  if (isInt(max) && max < 1) report(sp.child('maxReplicas'), invalid(sp.child('maxReplicas'), max, 'must be greater than 0'));
  if (isInt(min) && isInt(max) && max < min) report(sp.child('maxReplicas'), invalid(sp.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  const ref = getObject(spec, 'scaleTargetRef');
  const rp = sp.child('scaleTargetRef');
  for (const k of ['kind', 'name']) {
    const v = ref?.[k];
    if (v === '') report(rp.child(k), required(rp.child(k)));
    else if (typeof v === 'string') for (const msg of isValidPathSegmentName(v)) report(rp.child(k), invalid(rp.child(k), v, msg));
  }
  if (info.apiVersion === 'autoscaling/v1') {
    const cpu = spec.targetCPUUtilizationPercentage;
    if (isInt(cpu) && cpu < 1) report(sp.child('targetCPUUtilizationPercentage'), invalid(sp.child('targetCPUUtilizationPercentage'), cpu, 'must be greater than 0'));
  } else {
    checkMetrics(spec, sp, report);
  }
});
