// The kind facts against the OpenAPI kind tables of every supported Kubernetes version (schemas/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IndexFile, VersionFile } from '../validate/schema/store.ts';
import { BUILTIN_CLUSTER_SCOPED, isBuiltinGroup, isClusterScopedKind, POD_TEMPLATE_KINDS, podTemplateKind, WELL_KNOWN_CLUSTER_SCOPED_CRDS } from './kinds.ts';

const SCHEMAS = join(import.meta.dirname, '..', '..', 'schemas');
const index = JSON.parse(readFileSync(join(SCHEMAS, 'index.json'), 'utf8')) as IndexFile;
const tables = index.kubernetesVersions.map((v) => JSON.parse(readFileSync(join(SCHEMAS, `kubernetes-v${v}.json`), 'utf8')) as VersionFile);
const gk = (k: { group: string; kind: string }): string => `${k.group}/${k.kind}`;
const scopes = new Map<string, Set<boolean>>();
for (const t of tables) for (const k of t.kinds) scopes.set(gk(k), (scopes.get(gk(k)) ?? new Set()).add(k.namespaced));

/** Built-in kinds the tables (1.29+) no longer have. */
const REMOVED = ['policy/PodSecurityPolicy'];

describe('BUILTIN_CLUSTER_SCOPED', () => {
  it('is every kind the OpenAPI tables list as cluster-scoped', () => {
    const fromTables = [...scopes].filter(([, s]) => s.has(false)).map(([k]) => k);
    expect(fromTables.length).toBeGreaterThan(30);
    expect(BUILTIN_CLUSTER_SCOPED.map(gk).sort()).toEqual([...fromTables, ...REMOVED].sort());
  });

  it('holds no kind any table lists as namespaced, and no duplicate', () => {
    for (const k of BUILTIN_CLUSTER_SCOPED) expect(scopes.get(gk(k))?.has(true) ?? false, gk(k)).toBe(false);
    expect(new Set(BUILTIN_CLUSTER_SCOPED.map(gk)).size).toBe(BUILTIN_CLUSTER_SCOPED.length);
  });

  it('built-in kinds are of built-in groups; the well-known CRDs are not in the tables', () => {
    for (const k of BUILTIN_CLUSTER_SCOPED) expect(isBuiltinGroup(k.group), gk(k)).toBe(true);
    for (const k of WELL_KNOWN_CLUSTER_SCOPED_CRDS) expect(scopes.has(gk(k)), gk(k)).toBe(false);
  });

  it('isClusterScopedKind answers for both lists, by group and kind', () => {
    expect(isClusterScopedKind('', 'Namespace')).toBe(true);
    expect(isClusterScopedKind('rbac.authorization.k8s.io', 'ClusterRole')).toBe(true);
    expect(isClusterScopedKind('gateway.networking.k8s.io', 'GatewayClass')).toBe(true);
    expect(isClusterScopedKind('rbac.authorization.k8s.io', 'Role')).toBe(false);
    expect(isClusterScopedKind('example.com', 'Namespace')).toBe(false);
  });
});

describe('POD_TEMPLATE_KINDS', () => {
  it('are namespaced kinds of the tables (or of extensions/v1beta1, removed in 1.16)', () => {
    for (const k of POD_TEMPLATE_KINDS) {
      if (k.removed) expect(k.group).toBe('extensions');
      else expect([...(scopes.get(gk(k)) ?? [])], gk(k)).toEqual([true]);
    }
  });

  it('look up by group and kind', () => {
    expect(podTemplateKind('apps', 'StatefulSet')?.templatePath).toEqual(['spec', 'template']);
    expect(podTemplateKind('batch', 'CronJob')?.selector).toEqual({ path: ['spec', 'jobTemplate', 'spec', 'selector'], type: 'label', generated: true });
    expect(podTemplateKind('', 'ReplicationController')?.selector?.type).toBe('map');
    expect(podTemplateKind('extensions', 'StatefulSet')).toBeUndefined();
    expect(podTemplateKind('', 'Deployment')).toBeUndefined();
  });
});
