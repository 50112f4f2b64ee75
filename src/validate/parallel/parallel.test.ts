// The parallel path must change nothing but speed: same report byte for byte, same manifests (positions, templates),
// in every mode, and a failing worker costs time, never findings. Workers here run worker.ts through tsx; the CLI
// test at the end runs the built dist/ worker.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Finding, Manifest, SourceFile } from '../../core/types.ts';
import { manifestsFromRecord, parseSourceRecord, parseText, sourceText } from '../../manifests/parse.ts';
import { reporters } from '../../report/index.ts';
import type { SourceSpec } from '../../sources/index.ts';
import { validate, type ValidateInput } from '../index.ts';
import { allRules, graphRules, objectRules } from '../rules/index.ts';
import { parseJsonReport, projectRoot, runCli } from '../../../test/cli/run-cli.ts';
import { mergeObjectRuleRuns, type ObjectRuleRun } from '../rules/run.ts';
import { AUTO_THREADS, type CheckInput, type Checked, checkInOneThread, checkInThreads, chunkBounds, MIN_AUTO_CORES, parallelStats, threadPlan } from './index.ts';
import { loadSources } from '../../sources/index.ts';
import { createSchemaValidator, schemaSourceFromOpenApiV3 } from '../schema/index.ts';
import { chunkBlocks, claimChunk } from './shard.ts';

const env = { ...process.env };
afterEach(() => {
  for (const k of ['KUBEPLAN_WORKERS', 'KUBEPLAN_WORKER_FAULT']) {
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  vi.restoreAllMocks();
});

const shared = join(projectRoot, '..', 'shared', 'corpus');

function input(source: SourceSpec, extra: Partial<ValidateInput> = {}): ValidateInput {
  return { source, strict: true, ignoreMissingSchemas: false, extraCrds: [], defaultNamespace: 'default', rules: {}, ...extra };
}

/** Everything a caller of validate() can observe: the JSON report and each manifest with its positions. */
async function observe(workers: string, spec: ValidateInput): Promise<{ json: string; manifests: unknown[]; sarif: string }> {
  process.env.KUBEPLAN_WORKERS = workers;
  const outcome = await validate(spec);
  if (!outcome.ok) throw new Error(outcome.error);
  const ctx = { color: false, cwd: projectRoot, toolVersion: 'test' };
  return {
    json: reporters.json(outcome.report, ctx),
    sarif: reporters.sarif(outcome.report, ctx),
    manifests: outcome.manifests.map(snapshot),
  };
}

function snapshot(m: Manifest): unknown {
  const probes = [[], ['metadata', 'name'], ['spec'], ['kind'], ['nope', 'deeper']] as const;
  return {
    file: m.file,
    docIndex: m.docIndex,
    itemIndex: m.itemIndex,
    template: m.template,
    position: m.position,
    object: m.object,
    located: probes.flatMap((p) => [m.locate(p), m.locate(p, 'key')]),
  };
}

async function expectSameInThreads(spec: ValidateInput, threads = ['2', '3']): Promise<string> {
  const one = await observe('1', spec);
  for (const n of threads) {
    const before = { ...parallelStats };
    const many = await observe(n, spec);
    // The threads really ran (a fallback to one thread would hide any difference).
    expect(parallelStats).toEqual({ threaded: before.threaded + 1, fallbacks: before.fallbacks });
    expect(many.json, `KUBEPLAN_WORKERS=${n}`).toBe(one.json);
    expect(many.sarif).toBe(one.sarif);
    expect(many.manifests).toEqual(one.manifests);
  }
  expect(one.json).not.toMatch(/internal error in rule/);
  return one.json;
}

/** A repo whose interesting files land in different shards: CRDs and their custom resources apart, Secrets, Lists… */
function mixedRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeplan-parallel-'));
  const w = (name: string, text: string): void => {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  };
  const crd = (group: string, kind: string, plural: string, spec: string): string => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${plural}.${group}}
spec:
  group: ${group}
  names: {kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: ${spec}
`;
  // First shard: a CRD whose custom resource lives at the end, and a custom resource of a CRD defined at the end.
  w('a/crd-widget.yaml', crd('example.com', 'Widget', 'widgets', '{type: object, properties: {size: {type: integer}}, required: [size]}'));
  w('a/gadget.yaml', 'apiVersion: example.org/v1\nkind: Gadget\nmetadata: {name: g, namespace: shop}\nspec: {colour: 7}\n');
  w('a/secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\ndata:\n  password: 5432\n  token: c2VjcmV0LXRva2Vu\n');
  // Filler: ordinary apps, some with findings, enough to spread over shards.
  for (let i = 0; i < 24; i++) {
    w(
      `m/app-${String(i).padStart(2, '0')}.yaml`,
      `# Source: chart/templates/app-${i}.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: shop, labels: {app: app-${i}}}
spec:
  replicas: ${i % 3 === 0 ? '"two"' : 2}
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}}}
    spec:
      containers:
        - name: ${i % 4 === 0 ? 'Bad_Name' : 'main'}
          image: nginx:1.27
          ports: [{containerPort: ${i % 5 === 0 ? 70000 : 8080}}]
---
apiVersion: v1
kind: Service
metadata: {name: app-${i}, namespace: shop}
spec:
  selector: {app: ${i % 6 === 0 ? 'nobody' : `app-${i}`}}
  ports: [{port: 80, targetPort: 8080}]
`,
    );
  }
  // Last shard: the Gadget CRD, Widgets, a List, a file js-yaml cannot read, a refused document, a BOM, a suppression.
  w('z/crd-gadget.yaml', crd('example.org', 'Gadget', 'gadgets', '{type: object, properties: {colour: {type: string}}}'));
  w('z/crd-broken.yaml', crd('example.net', 'Broken', 'brokens', '{type: object, properties: {a: {type: strin}}}'));
  w('z/widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: shop}\nspec: {size: big, extra: 1}\n');
  w(
    'z/list.yaml',
    'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: ok, namespace: shop}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: Not_OK, namespace: shop}\n    data: {"a/b": x}\n  - 7\n',
  );
  w('z/syntax.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Too, namespace: shop}\n---\nkey: [unclosed\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s2}\nspec: {ports: [{port: 0}]}\n');
  w('z/refused.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup, namespace: shop}\ndata: {a: 1, a: 2}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: After_Dup, namespace: shop}\n');
  w('z/bom.yaml', '\uFEFFapiVersion: v1\nkind: ServiceAccount\nmetadata: {name: Bom_Name, namespace: shop}\n');
  w(
    'z/suppressed.yaml',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: quiet\n  namespace: shop\n  annotations: {kubeplan.dev/ignore: "service-selector-no-match: pods come from elsewhere"}\nspec: {selector: {app: none}, ports: [{port: 80}]}\n',
  );
  w('z/proto.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: proto, namespace: shop, labels: {__proto__: "bad value!"}}\ndata: {__proto__: x}\n');
  w('z/stringdata.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: shop}\nstringData: {port: 5433}\n');
  return dir;
}

describe('validate on several threads gives exactly the one-thread result', () => {
  it('fixtures/validate/broken', async () => {
    await expectSameInThreads(input({ kind: 'paths', paths: ['fixtures/validate/broken'], cwd: projectRoot }));
  });

  it('a repo with CRDs and custom resources in different shards, Secrets, Lists, syntax errors, BOMs, suppressions', async () => {
    const dir = mixedRepo();
    const json = await expectSameInThreads(input({ kind: 'paths', paths: ['.'], cwd: dir }), ['2', '3', '7']);
    const report = JSON.parse(json) as { findings: Finding[] };
    // The interesting cases are really there: the worker-shard Widget is checked against the first shard's CRD, …
    expect(report.findings.some((f) => f.file === 'z/widget.yaml' && f.rule === 'schema')).toBe(true);
    expect(report.findings.some((f) => f.file === 'z/widget.yaml' && f.rule === 'missing-schema')).toBe(false);
    // … the first shard's Gadget against the last shard's CRD, …
    expect(report.findings.some((f) => f.file === 'a/gadget.yaml' && f.rule === 'missing-schema')).toBe(false);
    expect(report.findings.some((f) => f.file === 'a/gadget.yaml' && f.rule === 'schema')).toBe(true);
    // … Secret values stay redacted, and a broken CRD schema is reported where it is.
    expect(json).not.toMatch(/5432|5433/);
    expect(report.findings.some((f) => f.file === 'z/crd-broken.yaml')).toBe(true);
    expect(report.findings.some((f) => f.suppressed !== undefined)).toBe(true);
  });

  it('with --crd files, configured rules (on, off, options) and the opt-in hygiene rules', async () => {
    const dir = mixedRepo();
    const crds = parseText('extra/crd.yaml', readFileSync(join(dir, 'a/crd-widget.yaml'), 'utf8').replace('size: {type: integer}', 'size: {type: string}')).manifests;
    await expectSameInThreads(
      input(
        { kind: 'paths', paths: ['.'], cwd: dir },
        {
          extraCrds: crds,
          strict: false,
          rules: { 'object-name': { severity: 'warning' }, 'label-syntax': { severity: 'off' }, 'port-range': { options: { nodePortRange: '30000-30100' } }, 'image-tag-mutable': { severity: 'info' }, 'run-as-root': {} },
        },
      ),
    );
  });

  it('changed-only mode: context files in every shard, only changed files reported', async () => {
    const dir = mixedRepo();
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'all');
    writeFileSync(join(dir, 'm/app-03.yaml'), readFileSync(join(dir, 'm/app-03.yaml'), 'utf8').replace('image: nginx:1.27', 'image: "nginx :bad"'));
    writeFileSync(join(dir, 'z/widget.yaml'), readFileSync(join(dir, 'z/widget.yaml'), 'utf8').replace('size: big', 'size: 3'));
    const json = await expectSameInThreads(input({ kind: 'git-changed-since', repo: dir, base: 'HEAD' }));
    const files = new Set((JSON.parse(json) as { findings: Finding[] }).findings.map((f) => f.file));
    expect([...files].sort()).toEqual(['m/app-03.yaml', 'z/widget.yaml']);
  });

  it.runIf(existsSync(shared))('../shared/corpus', async () => {
    await expectSameInThreads(input({ kind: 'paths', paths: [shared], cwd: projectRoot }), ['2']);
  });

  it('schemas a cluster serves (plan): chosen once the input is parsed, from its apiVersions, and used by every thread', async () => {
    const dir = mixedRepo();
    // Sprockets are served by the "cluster" only: without its schemas they would have none.
    writeFileSync(join(dir, 'a/sprocket.yaml'), 'apiVersion: example.net/v1\nkind: Sprocket\nmetadata: {name: s1, namespace: shop}\nspec: {teeth: 12}\n');
    writeFileSync(join(dir, 'z/sprocket.yaml'), 'apiVersion: example.net/v1\nkind: Sprocket\nmetadata: {name: s2, namespace: shop}\nspec: {teeth: many, cogs: 1}\n');
    const gvk = { group: 'example.net', version: 'v1', kind: 'Sprocket' };
    const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
    const doc = {
      paths: { '/apis/example.net/v1/namespaces/{namespace}/sprockets/{name}': { get: { 'x-kubernetes-group-version-kind': gvk } } },
      components: {
        schemas: {
          'net.example.v1.Sprocket': {
            type: 'object',
            'x-kubernetes-group-version-kind': [gvk],
            properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { allOf: [{ $ref: `#/components/schemas/${meta}` }] }, spec: { type: 'object', properties: { teeth: { type: 'integer' } } } },
          },
          [meta]: { type: 'object', properties: { name: { type: 'string' }, namespace: { type: 'string' } } },
        },
      },
    };
    const source = schemaSourceFromOpenApiV3({ 'apis/example.net/v1': doc }, { kubernetesVersion: 'v1.35.8' });
    const asked: (readonly string[])[] = [];
    const spec = input({ kind: 'paths', paths: ['.'], cwd: dir }, { kubernetesVersion: '1.35', servedSchemas: async (apiVersions) => (asked.push(apiVersions), source) });
    const json = await expectSameInThreads(spec, ['2', '3']);
    // Once per run (one thread, then 2 and 3 threads), with every apiVersion of the input.
    expect(asked).toHaveLength(3);
    for (const a of asked) expect(a).toEqual(['apiextensions.k8s.io/v1', 'apps/v1', 'example.com/v1', 'example.net/v1', 'example.org/v1', 'v1']);
    const findings = (JSON.parse(json) as { findings: Finding[] }).findings;
    expect(findings.filter((f) => f.file.endsWith('sprocket.yaml')).map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`)).toEqual([
      'z/sprocket.yaml:4:15 schema',
      'z/sprocket.yaml:4:21 unknown-field',
    ]);
    // The served source's version, the bundled 1.35 for everything else (the Deployments are still checked).
    expect(JSON.parse(json).summary.kubernetesVersion).toBe('1.35');
    expect(findings.some((f) => f.file.startsWith('m/') && f.rule === 'schema')).toBe(true);
  });
});

describe('yieldToIo (kubeplan plan reads the cluster meanwhile) changes nothing but when other work runs', () => {
  it('same report and manifests, onParsed gets the outcome\'s manifests once, and the thread is given up between chunks', async () => {
    const dir = mixedRepo();
    // 350 more objects, every 7th with findings of object rules (label and name syntax), so the chunks have findings.
    const docs = Array.from({ length: 350 }, (_, i) =>
      i % 7 === 0
        ? `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_${i}, namespace: shop, labels: {app: "not ok ${i}"}}\ndata: {k: v}\n`
        : `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, namespace: shop}\ndata: {k: v}\n`,
    );
    mkdirSync(join(dir, 'many'));
    writeFileSync(join(dir, 'many/configmaps.yaml'), docs.join('---\n'));
    const spec = input({ kind: 'paths', paths: ['.'], cwd: dir });
    // Turns of the event loop while validate runs: a setImmediate chain advances one step per turn.
    const turns = async (run: () => Promise<unknown>): Promise<number> => {
      let n = 0;
      let on = true;
      const tick = (): void => {
        n++;
        if (on) setImmediate(tick);
      };
      setImmediate(tick);
      await run();
      on = false;
      return n;
    };
    let plain: Awaited<ReturnType<typeof observe>> | undefined;
    const plainTurns = await turns(async () => (plain = await observe('1', spec)));
    const seen: (readonly Manifest[])[] = [];
    let outcomeManifests: Manifest[] | undefined;
    let yielding: Awaited<ReturnType<typeof observe>> | undefined;
    const yieldingTurns = await turns(async () => {
      yielding = await observe('1', { ...spec, yieldToIo: true, onParsed: (m) => seen.push(m) });
      const again = await validate({ ...spec, onParsed: (m) => seen.push(m) });
      if (again.ok) outcomeManifests = again.manifests;
    });
    expect(yielding?.json).toBe(plain?.json);
    expect(yielding?.sarif).toBe(plain?.sarif);
    expect(yielding?.manifests).toEqual(plain?.manifests);
    expect(JSON.parse(plain?.json ?? '{}').findings.filter((f: Finding) => f.file === 'many/configmaps.yaml' && f.line > 300).length).toBeGreaterThan(0);
    // onParsed: once per validate, with the array the outcome returns.
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(outcomeManifests);
    // ~370 manifests in chunks of 100: at least 3 more turns than validating without pauses (twice, minus slack).
    expect(yieldingTurns).toBeGreaterThan(plainTurns + 3);
  });
});

describe('work stealing', () => {
  it('threads that steal chunks give the same manifests and findings as one thread', async () => {
    const dir = mixedRepo();
    const loaded = await loadSources({ kind: 'paths', paths: ['.'], cwd: dir });
    if (!loaded.ok) throw new Error(loaded.error);
    const schemaOptions = { strict: true, ignoreMissingSchemas: false };
    const check = (): CheckInput => ({
      files: loaded.files,
      loadFindings: loaded.findings,
      reportOn: null,
      extraCrds: [],
      maxBytes: 32 * 1024 * 1024,
      schema: createSchemaValidator(schemaOptions),
      schemaOptions,
      settings: { kubernetesVersion: '1.36', defaultNamespace: 'default' },
      rules: {},
    });
    const summary = (c: Checked) => ({
      manifests: c.manifests.map(snapshot),
      sourceFindings: c.sourceFindings,
      checkFindings: c.checkFindings,
      rules: [...c.objectRuleFindings],
    });
    const one = summary(await checkInOneThread(check()));
    for (const threads of [2, 3]) expect(summary(await checkInThreads(check(), threads, true))).toEqual(one);
  });
});

describe('a failing worker costs time, never findings', () => {
  it.each(['throw', 'exit'])('worker fault "%s": the run starts over on one thread and says so once on stderr', async (fault) => {
    const spec = input({ kind: 'paths', paths: ['fixtures/validate/broken'], cwd: projectRoot });
    const one = await observe('1', spec);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.env.KUBEPLAN_WORKER_FAULT = fault;
    const before = { ...parallelStats };
    const again = await observe('2', spec);
    expect(parallelStats).toEqual({ threaded: before.threaded, fallbacks: before.fallbacks + 1 });
    expect(again.json).toBe(one.json);
    expect(again.manifests).toEqual(one.manifests);
    await observe('2', spec);
    const notices = stderr.mock.calls.map((c) => String(c[0])).filter((s) => s.includes('worker'));
    // Once per process: the first fault test prints it, the second finds it already said.
    expect(notices.length).toBeLessThanOrEqual(1);
    if (fault === 'throw') expect(notices[0]).toMatch(/^kubeplan: a validation worker thread failed \(.*injected worker fault.*\); validating in one thread instead\n$/);
  });
});

describe('how the work is split', () => {
  const file = (path: string, size: number): SourceFile => ({ path, bytes: new Uint8Array(size) });

  it('small inputs (a pre-commit hook) stay on one thread; KUBEPLAN_WORKERS=1 always; N forces N', () => {
    const small = Array.from({ length: 1000 }, (_, i) => file(`f${i}.yaml`, 3000));
    const large = Array.from({ length: 5000 }, (_, i) => file(`f${i}.yaml`, 15000));
    expect(threadPlan(small, null, {})).toEqual({ threads: 1, steal: false });
    // Changed-only modes: context files are only parsed, and count less.
    expect(threadPlan(small.map((f) => file(f.path, 20_000)), new Set(['f1.yaml']), {}).threads).toBe(1);
    expect(threadPlan(large, null, { KUBEPLAN_WORKERS: '1' }).threads).toBe(1);
    expect(threadPlan(small, null, { KUBEPLAN_WORKERS: '2' })).toEqual({ threads: 2, steal: false });
    expect(threadPlan([file('a.yaml', 10)], null, { KUBEPLAN_WORKERS: '2' }).threads).toBe(1);
    const auto = threadPlan(large, null, {});
    expect(auto).toEqual(availableParallelism() >= MIN_AUTO_CORES ? { threads: AUTO_THREADS, steal: true } : { threads: 1, steal: false });
    expect(threadPlan(large, null, { KUBEPLAN_WORKERS: 'auto' })).toEqual(auto);
  });

  it('chunks are contiguous, in file order, balanced by bytes', () => {
    const files = Array.from({ length: 1000 }, (_, i) => file(`f${String(i).padStart(4, '0')}.yaml`, 1000 + (i % 7) * 500));
    for (const threads of [2, 3, 4]) {
      const bounds = chunkBounds(files, threads, null);
      expect(bounds[0]).toBe(0);
      expect(bounds[bounds.length - 1]).toBe(files.length);
      const sizes = bounds.slice(1).map((b, i) => files.slice(bounds[i], b).reduce((a, f) => a + f.bytes.byteLength, 0));
      // Each chunk within one file of its share.
      const share = sizes.reduce((a, b) => a + b, 0) / sizes.length;
      for (const n of sizes) expect(Math.abs(n - share)).toBeLessThanOrEqual(4000 + 512);
    }
    expect(chunkBounds([file('a', 5)], 3, null)).toEqual([0, 1]);
    expect(chunkBounds([file('a', 5), file('b', 1_000_000), file('c', 5)], 2, null)).toEqual([0, 1, 2, 3]);
  });

  it('every chunk is claimed exactly once: own block first, then (stealing) the back of the fullest other block', () => {
    const blocks = chunkBlocks(10, 3);
    const claims = (thread: number, steal: boolean): number[] => {
      const got: number[] = [];
      for (let c = claimChunk(blocks, thread, steal); c >= 0; c = claimChunk(blocks, thread, steal)) got.push(c);
      return got;
    };
    expect(claims(2, false)).toEqual([7, 8, 9]);
    // Thread 2 is done; stealing, it takes from the back of the fullest block (thread 1 has 4 left, thread 0 has 3).
    expect(claimChunk(blocks, 2, true)).toBe(6);
    expect(claimChunk(blocks, 1, false)).toBe(3);
    expect(claims(0, true)).toEqual([0, 1, 2, 5, 4]);
    expect(claimChunk(blocks, 1, true)).toBe(-1);
  });

  it('object rules are exactly the API-server rules, before every graph rule in allRules', () => {
    expect(allRules.slice(0, objectRules.length)).toEqual(objectRules);
    expect([...objectRules, ...graphRules]).toEqual(allRules);
  });

  it('shard runs of a rule concatenate in order, and a rule that threw sees nothing after it', () => {
    const f = (message: string): Finding => ({ file: 'f', line: 1, column: 1, severity: 'error', rule: 'r', message, object: null });
    const shards: ObjectRuleRun[][] = [
      [{ id: 'a', findings: [f('a1')], failed: false }, { id: 'b', findings: [f('b1'), f('boom')], failed: true }],
      [{ id: 'a', findings: [f('a2')], failed: false }, { id: 'b', findings: [f('b2')], failed: false }],
    ];
    const merged = mergeObjectRuleRuns(shards);
    expect(merged.get('a')?.map((x) => x.message)).toEqual(['a1', 'a2']);
    expect(merged.get('b')?.map((x) => x.message)).toEqual(['b1', 'boom']);
  });
});

describe('manifestsFromRecord rebuilds what parseText made', () => {
  const cases: Record<string, string> = {
    'multi-document with Helm sources': '# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# Source: c/templates/b.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  ports:\n    - port: 80\n',
    'a List': 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n  - {apiVersion: v1, kind: Service, metadata: {name: b}, spec: {ports: [{port: 1}]}}\n',
    'a file js-yaml cannot read': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkey: [unclosed\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {x: 1}\n',
    'a refused document': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: 1, k: 2}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {k: 1}\n',
    'anchors and merge keys': 'base: &b {x: 1}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {<<: *b, y: 2}}\n',
    'a BOM and CRLF': '\uFEFFapiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n',
    'JSON': '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}}',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, () => {
      const bytes = new TextEncoder().encode(text);
      const direct = parseSourceRecord({ path: 'f.yaml', bytes });
      const plain = parseText('f.yaml', sourceText(bytes));
      expect(direct.manifests.map(snapshot)).toEqual(plain.manifests.map(snapshot));
      const rebuilt = direct.record === undefined ? [] : manifestsFromRecord(structuredClone(direct.record), () => sourceText(bytes));
      expect(rebuilt.map(snapshot)).toEqual(plain.manifests.map(snapshot));
      expect(rebuilt.length).toBeGreaterThan(0);
    });
  }

  it('decodes the text only when a position is needed', () => {
    const bytes = new TextEncoder().encode(cases['a List'] ?? '');
    const { record } = parseSourceRecord({ path: 'f.yaml', bytes });
    let decoded = 0;
    const ms = manifestsFromRecord(structuredClone(record!), () => (decoded++, sourceText(bytes)));
    expect(decoded).toBe(0);
    const plain = parseText('f.yaml', sourceText(bytes)).manifests;
    expect(ms[1]?.locate(['spec', 'ports', 0, 'port'])).toEqual(plain[1]?.locate(['spec', 'ports', 0, 'port']));
    expect(ms[0]?.position).toEqual(plain[0]?.position);
    expect(decoded).toBe(1);
  });
});

describe('the built CLI', () => {
  it('KUBEPLAN_WORKERS=2 and =1 print the same JSON report (dist worker)', () => {
    const dir = mixedRepo();
    const one = runCli(['validate', '.', '-o', 'json'], { cwd: dir, env: { KUBEPLAN_WORKERS: '1' } });
    const two = runCli(['validate', '.', '-o', 'json'], { cwd: dir, env: { KUBEPLAN_WORKERS: '2' } });
    expect(two.stderr).toBe('');
    expect(two.status).toBe(one.status);
    expect(two.stdout).toBe(one.stdout);
    expect(parseJsonReport(one.stdout).findings.length).toBeGreaterThan(20);
  });

  it('a failing worker: same report, one line on stderr', () => {
    const dir = mixedRepo();
    const one = runCli(['validate', '.', '-o', 'json'], { cwd: dir, env: { KUBEPLAN_WORKERS: '1' } });
    const bad = runCli(['validate', '.', '-o', 'json'], { cwd: dir, env: { KUBEPLAN_WORKERS: '2', KUBEPLAN_WORKER_FAULT: 'exit' } });
    expect(bad.stdout).toBe(one.stdout);
    expect(bad.status).toBe(one.status);
    expect(bad.stderr).toMatch(/^kubeplan: a validation worker thread failed \(the worker exited \(code 70\) before sending its results\); validating in one thread instead\n$/);
  });
});
