// ConfigMap and Secret references of a pod template, with paths and `optional`.
import { getArray, getObject, getString, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonPath } from '../../../core/types.ts';
import type { PodTemplate } from '../../../graph/index.ts';
import { containerLabel, containersOf } from '../../../k8s/pod-specs.ts';
import type { NamedKind } from './support.ts';

export interface NamedRef {
  kind: NamedKind;
  name: string;
  /** Path of the name field. */
  path: JsonPath;
  optional: boolean;
  /** Keys that must exist in the target: env key refs and volume items. */
  keys: { key: string; path: JsonPath }[];
  /** "env DB_URL of container \"app\"" — for messages. */
  via: string;
}

export function namedRefs(t: PodTemplate): NamedRef[] {
  const out: NamedRef[] = [];
  const spec = t.spec;
  if (!spec) return out;
  const add = (kind: NamedKind, holder: JsonObject, nameField: string, base: JsonPath, via: string, keys: { key: string; path: JsonPath }[] = []): void => {
    const name = getString(holder, nameField);
    if (!name) return;
    out.push({ kind, name, path: [...base, nameField], optional: holder.optional === true, keys, via });
  };
  const items = (holder: JsonObject, base: JsonPath): { key: string; path: JsonPath }[] =>
    (getArray(holder, 'items') ?? []).flatMap((it, i) => {
      const key = isObject(it) ? getString(it, 'key') : undefined;
      return key === undefined ? [] : [{ key, path: [...base, 'items', i, 'key'] }];
    });

  for (const c of containersOf({ spec, path: t.specPath })) {
    const who = containerLabel(c);
    (getArray(c.container, 'env') ?? []).forEach((env, i) => {
      if (!isObject(env)) return;
      const vf = getObject(env, 'valueFrom');
      const envName = getString(env, 'name') ?? `#${i}`;
      for (const [field, kind] of [
        ['configMapKeyRef', 'ConfigMap'],
        ['secretKeyRef', 'Secret'],
      ] as const) {
        const ref = getObject(vf, field);
        if (!ref) continue;
        const base = [...c.path, 'env', i, 'valueFrom', field];
        const key = getString(ref, 'key');
        add(kind, ref, 'name', base, `env ${envName} of ${who}`, key === undefined ? [] : [{ key, path: [...base, 'key'] }]);
      }
    });
    (getArray(c.container, 'envFrom') ?? []).forEach((ef, i) => {
      if (!isObject(ef)) return;
      for (const [field, kind] of [
        ['configMapRef', 'ConfigMap'],
        ['secretRef', 'Secret'],
      ] as const) {
        const ref = getObject(ef, field);
        if (ref) add(kind, ref, 'name', [...c.path, 'envFrom', i, field], `envFrom of ${who}`);
      }
    });
  }
  (getArray(spec, 'volumes') ?? []).forEach((vol, i) => {
    if (!isObject(vol)) return;
    const base = [...t.specPath, 'volumes', i];
    const volName = getString(vol, 'name') ?? `#${i}`;
    const cm = getObject(vol, 'configMap');
    if (cm) add('ConfigMap', cm, 'name', [...base, 'configMap'], `volume "${volName}"`, items(cm, [...base, 'configMap']));
    const sec = getObject(vol, 'secret');
    if (sec) add('Secret', sec, 'secretName', [...base, 'secret'], `volume "${volName}"`, items(sec, [...base, 'secret']));
    (getArray(getObject(vol, 'projected'), 'sources') ?? []).forEach((src, j) => {
      if (!isObject(src)) return;
      const sbase = [...base, 'projected', 'sources', j];
      const pcm = getObject(src, 'configMap');
      if (pcm) add('ConfigMap', pcm, 'name', [...sbase, 'configMap'], `projected volume "${volName}"`, items(pcm, [...sbase, 'configMap']));
      const psec = getObject(src, 'secret');
      if (psec) add('Secret', psec, 'name', [...sbase, 'secret'], `projected volume "${volName}"`, items(psec, [...sbase, 'secret']));
    });
  });
  (getArray(spec, 'imagePullSecrets') ?? []).forEach((ips, i) => {
    if (isObject(ips)) add('Secret', ips, 'name', [...t.specPath, 'imagePullSecrets', i], 'imagePullSecrets');
  });
  return out;
}
