import fc from 'fast-check';
import jsonpatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/types.ts';
import { listKeysFor } from '../compute.ts';
import { only, paths, plan } from '../testing/helpers.ts';
import { keyedDiff } from './index.ts';

const podKeys = listKeysFor('apps/Deployment', undefined);

function applies(before: JsonValue, after: JsonValue, keys = podKeys): void {
  const { ops } = keyedDiff(before, after, { listKeys: keys });
  const result = jsonpatch.applyPatch(structuredClone(before), structuredClone(ops) as never, true, false).newDocument;
  expect(result).toEqual(after);
}

describe('keyed diff (lists by their merge keys, never by index)', () => {
  it('a container changed in a list is addressed by name, not index', () => {
    const before = { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } };
    const after = { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:2' }] } };
    const d = keyedDiff(before, after, { listKeys: (p) => (p === 'spec.containers' ? ['name'] : undefined) });
    expect(d.changes).toEqual([{ path: 'spec.containers[name=b].image', pointer: '/spec/containers/1/image', op: 'replace', before: 'b:1', after: 'b:2' }]);
    expect(d.ops).toEqual([{ op: 'replace', path: '/spec/containers/1/image', value: 'b:2' }]);
  });

  it('inserting an item at the front changes only that item (an index diff would rewrite every element)', () => {
    const before = { spec: { template: { spec: { containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] } } } };
    const after = { spec: { template: { spec: { containers: [{ name: 'z', image: 'z' }, { name: 'a', image: 'a' }, { name: 'b', image: 'b' }] } } } };
    const d = keyedDiff(before, after, { listKeys: podKeys });
    expect(d.changes.map((c) => `${c.op} ${c.path}`)).toEqual(['add spec.template.spec.containers[name=z]']);
    applies(before, after);
  });

  it('T33: a pure reorder is reported as a reorder (order only), with move ops', () => {
    const before = { spec: { template: { spec: { containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] } } } };
    const after = { spec: { template: { spec: { containers: [{ name: 'b', image: 'b' }, { name: 'a', image: 'a' }] } } } };
    const d = keyedDiff(before, after, { listKeys: podKeys });
    expect(d.changes).toEqual([
      expect.objectContaining({ op: 'reorder', path: 'spec.template.spec.containers', before: ['[name=a]', '[name=b]'], after: ['[name=b]', '[name=a]'], note: 'order only' }),
    ]);
    expect(d.ops.every((o) => o.op === 'move')).toBe(true);
    applies(before, after);
  });

  it('T7: Service ports 53/TCP and 53/UDP are two entries keyed by port+protocol; changing the UDP one touches only it', () => {
    const svc = (udpTarget: number) => `
apiVersion: v1
kind: Service
metadata: {name: dns, namespace: default}
spec:
  selector: {app: dns}
  ports:
    - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 5353}
    - {name: dns-udp, port: 53, protocol: UDP, targetPort: ${udpTarget}}
`;
    const c = only(plan(svc(5354), svc(5353)));
    expect(paths(c)).toEqual(['replace spec.ports[port=53,protocol=UDP].targetPort']);
    expect(c.patch).toEqual([{ op: 'replace', path: '/spec/ports/1/targetPort', value: 5354 }]);
  });

  it('container ports keyed by containerPort+protocol; env by name; volumeMounts by mountPath', () => {
    const before = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'web',
                ports: [{ containerPort: 53, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP', name: 'u' }],
                env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
                volumeMounts: [{ mountPath: '/a', name: 'x' }, { mountPath: '/b', name: 'y' }],
              },
            ],
          },
        },
      },
    };
    const after = structuredClone(before) as typeof before;
    const c = after.spec.template.spec.containers[0]!;
    c.ports[1]!.name = 'udp';
    c.env = [{ name: 'B', value: '3' }];
    c.volumeMounts = [{ mountPath: '/b', name: 'y' }, { mountPath: '/c', name: 'z' }];
    const d = keyedDiff(before as unknown as JsonValue, after as unknown as JsonValue, { listKeys: podKeys });
    expect(d.changes.map((x) => `${x.op} ${x.path}`)).toEqual([
      'remove spec.template.spec.containers[name=web].env[name=A]',
      'replace spec.template.spec.containers[name=web].env[name=B].value',
      'replace spec.template.spec.containers[name=web].ports[containerPort=53,protocol=UDP].name',
      'remove spec.template.spec.containers[name=web].volumeMounts[mountPath=/a]',
      'add spec.template.spec.containers[name=web].volumeMounts[mountPath=/c]',
    ]);
    applies(before as unknown as JsonValue, after as unknown as JsonValue);
  });

  it('lists without keys (args, tolerations) are replaced as a whole', () => {
    const d = keyedDiff({ args: ['a', 'b'] }, { args: ['a', 'c'] });
    expect(d.changes).toEqual([{ path: 'args', pointer: '/args', op: 'replace', before: ['a', 'b'], after: ['a', 'c'] }]);
  });

  it('keys with dots or slashes are quoted in human paths and escaped in pointers', () => {
    const d = keyedDiff({ metadata: { labels: { 'app.kubernetes.io/name': 'a' } } }, { metadata: { labels: { 'app.kubernetes.io/name': 'b' } } });
    expect(d.changes[0]).toMatchObject({ path: 'metadata.labels["app.kubernetes.io/name"]', pointer: '/metadata/labels/app.kubernetes.io~1name' });
  });

  it('duplicate keys fall back to an atomic compare (never a wrong pairing)', () => {
    const d = keyedDiff({ spec: { containers: [{ name: 'a', image: '1' }, { name: 'a', image: '2' }] } }, { spec: { containers: [{ name: 'a', image: '3' }] } }, { listKeys: () => ['name'] });
    expect(d.changes.map((c) => c.op)).toEqual(['replace']);
  });

  it('list-map keys from the schema (kindInfo.listMapKeys) are used for custom resources', () => {
    const kindInfo = () => ({ group: 'example.com', version: 'v1', kind: 'Widget', namespaced: true, listMapKeys: { '/spec/items': ['id'] } });
    const w = (order: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: default}\nspec:\n  items: ${order}\n`;
    const c = only(plan(w('[{id: 1, v: a}, {id: 2, v: b}]'), w('[{id: 2, v: b}, {id: 1, v: x}]'), {}, kindInfo));
    expect(paths(c)).toEqual(['reorder spec.items', 'replace spec.items[id=1].v']);
  });

  it('property: the RFC 6902 ops turn before into after, for random keyed lists and maps', () => {
    const item = fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd', 'e'), image: fc.constantFrom('x:1', 'x:2'), env: fc.option(fc.uniqueArray(fc.record({ name: fc.constantFrom('A', 'B', 'C'), value: fc.constantFrom('1', '2') }), { selector: (e) => e.name }), { nil: undefined }) });
    const containers = fc.uniqueArray(item, { selector: (c) => c.name, maxLength: 5 });
    const doc = fc.record({ labels: fc.dictionary(fc.constantFrom('a', 'b/c', 'd~e'), fc.constantFrom('1', '2')), containers, args: fc.array(fc.constantFrom('x', 'y'), { maxLength: 3 }) });
    const clean = (d: unknown): JsonValue => JSON.parse(JSON.stringify(d)) as JsonValue;
    const keys = (p: string) => (p === 'containers' ? ['name'] : p === 'containers.env' ? ['name'] : undefined);
    fc.assert(
      fc.property(doc, doc, (a, b) => {
        applies(clean(a), clean(b), keys);
      }),
      { numRuns: 300 },
    );
  });
});
