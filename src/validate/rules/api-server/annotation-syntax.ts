import { getObject } from '../../../core/objects.ts';
import type { JsonValue } from '../../../core/types.ts';
import { podSpecsOf } from '../../../k8s/pod-specs.ts';
import { isQualifiedName, TOTAL_ANNOTATION_SIZE_LIMIT } from '../../../k8s/validation.ts';
import { FieldPath, invalid, tooLong } from './field.ts';
import { apiServerRule, entriesOf, is, objectItems, type Reporter } from './util.ts';

export const help = `# annotation-syntax

**Annotation keys and the total annotation size the API server would reject.**

Annotation keys follow the label key syntax (an optional DNS-subdomain prefix, a slash, and a name of at most
63 characters), except that upper-case letters are allowed anywhere: the server lowercases the key before
checking it. Values are free text, but all keys and values of one object together may not exceed
**256 KiB (262144 bytes)**, counted in UTF-8 bytes.

Checked on \`metadata.annotations\` of every object, of pod templates, of CronJob job templates and of
StatefulSet volume claim templates.

## Examples

\`\`\`yaml
metadata:
  annotations:
    example.com/owner team: a      # name part must consist of alphanumeric characters, '-', '_' or '.', …
    Example.COM/Owner: a           # fine: annotation keys are checked in lower case
\`\`\`

A ConfigMap-sized blob in an annotation (often \`kubectl.kubernetes.io/last-applied-configuration\` copied by
hand) produces \`metadata.annotations: Too long: may not be more than 262144 bytes\`, followed by the actual size.
`;

function checkAnnotations(value: JsonValue | undefined, path: FieldPath, report: Reporter): void {
  let total = 0;
  for (const [key, v] of entriesOf(value)) {
    for (const msg of isQualifiedName(key.toLowerCase())) report(path.pointing(key), invalid(path, key, msg), { target: 'key' });
    total += Buffer.byteLength(key, 'utf8') + (typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : 0);
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) report(path, `${tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT)} (these annotations total ${total} bytes)`, { target: 'key' });
}

export const annotationSyntax = apiServerRule('annotation-syntax', 'Annotation keys are qualified names and all annotations of an object fit in 256 KiB.', help, (info, report) => {
  const root = FieldPath.root();
  checkAnnotations(info.metadata?.annotations, root.child('metadata', 'annotations'), report);
  for (const pod of podSpecsOf(info.object)) {
    if (pod.isTemplate) {
      const at = FieldPath.of(pod.metadataPath).child('annotations');
      checkAnnotations(pod.metadata?.annotations, FieldPath.of(pod.metadataPath.slice(0, -1)).child('annotations').locatedAt(at), report);
    }
  }
  const spec = getObject(info.object, 'spec');
  if (is(info, 'CronJob', 'batch')) {
    checkAnnotations(getObject(getObject(spec, 'jobTemplate'), 'metadata')?.annotations, root.child('spec', 'jobTemplate', 'metadata', 'annotations'), report);
  }
  if (is(info, 'StatefulSet', 'apps')) {
    for (const [i, t] of objectItems(spec?.volumeClaimTemplates)) {
      checkAnnotations(getObject(t, 'metadata')?.annotations, root.child('spec', 'volumeClaimTemplates').index(i).child('metadata', 'annotations'), report);
    }
  }
});
