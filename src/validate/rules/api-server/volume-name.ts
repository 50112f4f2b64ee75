import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../../core/types.ts';
import { podSpecsOf } from '../../../k8s/pod-specs.ts';
import { isDNS1123Label } from '../../../k8s/validation.ts';
import { duplicate, FieldPath, forbidden, invalid, required } from './field.ts';
import { apiServerRule, isInt, objectItems, type Reporter } from './util.ts';

export const help = `# volume-name

**Pod volumes the API server would reject: bad or repeated names, no source or several, missing references.**

- \`volumes[].name\` is not empty, is a DNS-1123 label, and is unique within the pod;
- each volume has exactly one source (\`emptyDir\`, \`configMap\`, \`secret\`, \`persistentVolumeClaim\`, \`projected\`, …):
  none gives "must specify a volume type", two give "may not specify more than 1 volume type";
- the source names what it uses: \`configMap.name\`, \`secret.secretName\`, \`persistentVolumeClaim.claimName\`,
  \`hostPath.path\`, \`nfs.server\` and \`nfs.path\`;
- \`defaultMode\` and item \`mode\` values are file modes between 0 and 0777 (octal; 511 in decimal);
- \`items\` of configMap, secret and downwardAPI volumes have a \`key\` (or a field reference) and a relative \`path\`
  without \`..\`.

A field the published schema requires (a volume's \`name\`, \`claimName\`, an item's \`key\`) is reported by the schema
rule when absent, and by this rule when empty.

## Examples

\`\`\`yaml
volumes:
- name: config
  configMap: {name: app}
  secret: {secretName: app}     # …volumes[0].secret: Forbidden: may not specify more than 1 volume type
- name: config                  # …volumes[1].name: Duplicate value: "config"
  emptyDir: {}
- name: data                    # …volumes[2]: Required value: must specify a volume type
\`\`\`
`;

/** Volume sources in the order ValidateVolumes looks at them: the first counts, later ones are "more than 1". */
const SOURCES = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
];

const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';

function checkMode(value: JsonValue | undefined, p: FieldPath, report: Reporter): void {
  if (isInt(value) && (value < 0 || value > 0o777)) report(p, invalid(p, value, FILE_MODE));
}

/** Empty is always ours; absent only when the schema does not already require the field. */
function requireString(holder: JsonObject, key: string, p: FieldPath, report: Reporter, schemaRequires = false): void {
  const v = holder[key];
  if (v === '' || (!schemaRequires && (v === undefined || v === null))) report(p.child(key), required(p.child(key)));
}

function checkRelativePath(path: string, p: FieldPath, report: Reporter): void {
  if (path.startsWith('/')) report(p, invalid(p, path, 'must be a relative path'));
  if (path.split('/').includes('..')) report(p, invalid(p, path, "must not contain '..'"));
  else if (path.startsWith('..')) report(p, invalid(p, path, "must not start with '..'"));
}

function checkItems(items: JsonValue | undefined, p: FieldPath, report: Reporter, keyed: boolean): void {
  for (const [i, item] of objectItems(items)) {
    const ip = p.index(i);
    if (keyed) requireString(item, 'key', ip, report, true);
    requireString(item, 'path', ip, report, true);
    if (typeof item.path === 'string' && item.path.length > 0) checkRelativePath(item.path, ip.child('path'), report);
    checkMode(item.mode, ip.child('mode'), report);
  }
}

function checkSource(source: string, body: JsonObject, p: FieldPath, report: Reporter): void {
  switch (source) {
    case 'configMap':
      requireString(body, 'name', p, report);
      checkMode(body.defaultMode, p.child('defaultMode'), report);
      checkItems(body.items, p.child('items'), report, true);
      break;
    case 'secret':
      requireString(body, 'secretName', p, report);
      checkMode(body.defaultMode, p.child('defaultMode'), report);
      checkItems(body.items, p.child('items'), report, true);
      break;
    case 'downwardAPI':
      checkMode(body.defaultMode, p.child('defaultMode'), report);
      checkItems(body.items, p.child('items'), report, false);
      break;
    case 'projected':
      checkMode(body.defaultMode, p.child('defaultMode'), report);
      break;
    case 'persistentVolumeClaim':
      requireString(body, 'claimName', p, report, true);
      break;
    case 'hostPath':
      requireString(body, 'path', p, report, true);
      break;
    case 'nfs':
      requireString(body, 'server', p, report, true);
      requireString(body, 'path', p, report, true);
      break;
  }
}

export const volumeName = apiServerRule('volume-name', 'Pod volumes have unique DNS-label names and exactly one complete source.', help, (info, report) => {
  for (const pod of podSpecsOf(info.object)) {
    const names = new Set<string>();
    const vp = FieldPath.of(pod.path).child('volumes');
    for (const [i, vol] of objectItems(pod.spec.volumes)) {
      const p = vp.index(i);
      const name = vol.name;
      if (name === '') report(p.child('name'), required(p.child('name')));
      else if (typeof name === 'string') {
        for (const msg of isDNS1123Label(name)) report(p.child('name'), invalid(p.child('name'), name, msg));
        if (names.has(name)) report(p.child('name'), duplicate(p.child('name'), name));
        names.add(name);
      }
      const present = SOURCES.filter((s) => isObject(vol[s]));
      if (present.length === 0) report(p, required(p, 'must specify a volume type'));
      for (const extra of present.slice(1)) report(p.child(extra), forbidden(p.child(extra), 'may not specify more than 1 volume type'), { target: 'key' });
      const first = present[0];
      if (first !== undefined) checkSource(first, getObject(vol, first) ?? {}, p.child(first), report);
    }
  }
});
