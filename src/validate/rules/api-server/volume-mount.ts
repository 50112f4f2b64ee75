import { getObject, getString, isObject } from '../../../core/objects.ts';
import type { JsonObject } from '../../../core/types.ts';
import { type FieldPath, invalid, notFound, required } from './field.ts';
import { apiServerRule, is, objectItems, type Reporter } from './util.ts';
import { containerSites } from './walk.ts';

export const help = `# volume-mount

**Volume mounts and devices that name no volume of the pod, or collide.**

Every \`volumeMounts[].name\` must be the name of a volume in the pod's \`volumes\` (for a StatefulSet, a
\`volumeClaimTemplates\` name counts as well): otherwise the API server answers \`Not found\`. This is the
most common copy-and-paste mistake in manifests, and no schema can see it. The rule also checks that:

- \`mountPath\` is not empty and is used once per container (an absent one is the schema rule's finding);
- \`subPath\` and \`subPathExpr\` are not both set, and are relative paths without \`..\`;
- \`volumeDevices\` name a volume backed by a PersistentVolumeClaim (or an ephemeral volume) and give a
  \`devicePath\` used once.

## Example

\`\`\`yaml
containers:
- name: app
  volumeMounts:
  - {name: config, mountPath: /etc/app}    # …volumeMounts[0].name: Not found: "config"
volumes:
- name: app-config
  configMap: {name: app}
\`\`\`
`;

function checkLocalDescending(path: string, p: FieldPath, report: Reporter): void {
  if (path.startsWith('/')) report(p, invalid(p, path, 'must be a relative path'));
  if (path.split('/').includes('..')) report(p, invalid(p, path, "must not contain '..'"));
}

export const volumeMount = apiServerRule('volume-mount', 'Volume mounts and devices refer to volumes of the pod, with unique paths.', help, (info, report) => {
  const claimTemplates = new Set<string>();
  if (is(info, 'StatefulSet', 'apps')) {
    for (const [, t] of objectItems(getObject(info.object, 'spec')?.volumeClaimTemplates)) {
      const n = getString(getObject(t, 'metadata'), 'name');
      if (n !== undefined) claimTemplates.add(n);
    }
  }
  for (const site of containerSites(info)) {
    const volumes = new Map<string, JsonObject>();
    for (const [, v] of objectItems(site.pod.spec.volumes)) if (typeof v.name === 'string') volumes.set(v.name, v);
    const known = (name: string): boolean => volumes.has(name) || claimTemplates.has(name);

    const mountPaths = new Set<string>();
    const mp = site.at.child('volumeMounts');
    for (const [i, m] of objectItems(site.container.volumeMounts)) {
      const p = mp.index(i);
      const name = m.name;
      if (name === '') report(p.child('name'), required(p.child('name')));
      else if (typeof name === 'string' && !known(name)) report(p.child('name'), notFound(p.child('name'), name));
      const path = m.mountPath;
      if (path === '') report(p.child('mountPath'), required(p.child('mountPath')));
      else if (typeof path === 'string') {
        if (mountPaths.has(path)) report(p.child('mountPath'), invalid(p.child('mountPath'), path, 'must be unique'));
        mountPaths.add(path);
      }
      const subPath = typeof m.subPath === 'string' ? m.subPath : '';
      const subPathExpr = typeof m.subPathExpr === 'string' ? m.subPathExpr : '';
      // Go reports these at volumeMounts.subPath(Expr), without the index.
      if (subPath.length > 0) checkLocalDescending(subPath, mp.child('subPath').locatedAt(p.child('subPath')), report);
      if (subPathExpr.length > 0) {
        if (subPath.length > 0) report(p.child('subPathExpr'), invalid(p.child('subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
        checkLocalDescending(subPathExpr, mp.child('subPathExpr').locatedAt(p.child('subPathExpr')), report);
      }
    }

    const devicePaths = new Set<string>();
    const dp = site.at.child('volumeDevices');
    for (const [i, d] of objectItems(site.container.volumeDevices)) {
      const p = dp.index(i);
      const name = d.name;
      if (name === '') report(p.child('name'), required(p.child('name')));
      else if (typeof name === 'string') {
        const volume = volumes.get(name);
        if (volume === undefined && !claimTemplates.has(name)) report(p.child('name'), notFound(p.child('name'), name));
        else if (volume !== undefined && !isObject(volume.persistentVolumeClaim) && !isObject(volume.ephemeral)) {
          report(p.child('name'), invalid(p.child('name'), name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
        }
      }
      const path = d.devicePath;
      if (path === '') report(p.child('devicePath'), required(p.child('devicePath')));
      else if (typeof path === 'string') {
        if (devicePaths.has(path)) report(p.child('devicePath'), invalid(p.child('devicePath'), path, 'must be unique'));
        devicePaths.add(path);
      }
    }
  }
});
