// scaleTargetRefs of HorizontalPodAutoscalers (and of KEDA ScaledObjects, which create HPAs).
import { getObject, getString, groupOf } from '../../../core/objects.ts';
import type { JsonPath } from '../../../core/types.ts';
import type { GraphObject, ResourceGraph } from '../../../graph/index.ts';

export interface ScaleRef {
  node: GraphObject;
  /** Path of scaleTargetRef. */
  path: JsonPath;
  apiVersion: string | undefined;
  group: string;
  kind: string;
  name: string;
  namespace: string;
  /** A KEDA ScaledObject (its defaults: apps/v1 Deployment). */
  keda: boolean;
}

export function scaleRefs(graph: ResourceGraph): ScaleRef[] {
  const out: ScaleRef[] = [];
  for (const node of graph.objects) {
    const isHpa = node.group === 'autoscaling' && node.kind === 'HorizontalPodAutoscaler';
    const isKeda = node.group === 'keda.sh' && node.kind === 'ScaledObject';
    if ((!isHpa && !isKeda) || node.namespace === undefined) continue;
    const ref = getObject(getObject(node.manifest.object, 'spec'), 'scaleTargetRef');
    if (!ref) continue;
    const name = getString(ref, 'name');
    const apiVersion = getString(ref, 'apiVersion') ?? (isKeda ? 'apps/v1' : undefined);
    const kind = getString(ref, 'kind') ?? (isKeda ? 'Deployment' : undefined);
    if (name === undefined || kind === undefined) continue; // schema: required fields
    out.push({ node, path: ['spec', 'scaleTargetRef'], apiVersion, group: groupOf(apiVersion ?? ''), kind, name, namespace: node.namespace, keda: isKeda });
  }
  return out;
}
