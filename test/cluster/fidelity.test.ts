// Fidelity of `kubeplan validate`: does kubeplan reject exactly what a real API server rejects?
//
// Every case of the corpus (test/cluster/fidelity/cases/*.yaml, plus real-world manifests referenced from
// ../shared) goes to a real Kubernetes 1.35 API server as a server-side-apply dry run with strict field
// validation, and through kubeplan in-process: the schema validator, the API-server rules, and the cross-object
// rules that restate server validation (a workload selector must match its template, a Job selector needs
// manualSelector). Policy rules ("a Service selects no pods") are left out:
// the server has no opinion on them.
//
// The test prints the agreement table and fails on
//   - a false positive: kubeplan rejects what the server accepts;
//   - a miss (server rejects, kubeplan accepts) that is not in fidelity/known-misses.txt, or a listed miss that
//     kubeplan now catches (so the list stays true);
//   - a case whose `# expect:` line disagrees with the server (so each case exercises what it says).
// KUBEPLAN_FIDELITY_WRITE=1 also rewrites the table in docs/fidelity.md.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Finding, JsonObject, Manifest } from '../../src/core/types.ts';
import { parseText } from '../../src/manifests/parse.ts';
import { apiServerRules } from '../../src/validate/rules/api-server/index.ts';
import { jobSelectorWithoutManual, workloadSelectorMismatch } from '../../src/validate/rules/cross-object/index.ts';
import type { Rule, RunSettings } from '../../src/validate/rules/rule.ts';
import { runRules } from '../../src/validate/rules/run.ts';
import { createSchemaValidator, type SchemaValidator } from '../../src/validate/schema/index.ts';
import { clusterBinDir, isCI, missingBinaries, missingBinariesMessage, startCluster, tail, type Cluster } from './harness.ts';
import { restClient, type RequestFn, type RestResponse } from './rest.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const fidelityDir = path.join(here, 'fidelity');
const casesDir = path.join(fidelityDir, 'cases');
const crdFiles = [path.join(fidelityDir, 'crds', 'widgets.yaml')];
const knownMissesFile = path.join(fidelityDir, 'known-misses.txt');
const realWorldList = path.join(fidelityDir, 'real-world.txt');
const docFile = path.join(repoRoot, 'docs', 'fidelity.md');

/** The server is 1.35; kubeplan validates against the same minor. */
const KUBERNETES_VERSION = '1.35';
const NAMESPACE = 'fidelity';
const FIELD_MANAGER = 'kubeplan-fidelity';
const SETTINGS: RunSettings = { kubernetesVersion: KUBERNETES_VERSION, defaultNamespace: NAMESPACE };
/** kubeplan rules that correspond to the server's own validation (see the header). */
const RULES: readonly Rule[] = [...apiServerRules, workloadSelectorMismatch, jobSelectorWithoutManual];

// --- the corpus ----------------------------------------------------------------------------------------------

interface FidelityCase {
  id: string;
  /** What the case exercises (its comment). */
  what: string;
  /** What the API server does with it, according to the case. */
  expect: 'accept' | 'reject';
  /** Display path of the file, relative to the repository root. */
  file: string;
  /** The YAML document sent to both sides (placeholders expanded). */
  text: string;
  source: 'corpus' | 'real-world';
}

/** Split a YAML stream into documents at `---` lines; documents that are only comments are dropped. */
function splitDocuments(text: string): string[] {
  const docs: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.some((l) => l.trim() !== '' && !l.trimStart().startsWith('#'))) docs.push(`${current.join('\n')}\n`);
    current = [];
  };
  for (const line of text.split('\n')) {
    if (/^---\s*(#.*)?$/.test(line)) flush();
    else current.push(line);
  }
  flush();
  return docs;
}

/** `{{repeat N c}}` → N copies of c: long names and 256 KiB annotations without huge files. */
function expandPlaceholders(text: string): string {
  return text.replace(/\{\{repeat (\d+) (\S)\}\}/g, (_m, n: string, c: string) => c.repeat(Number(n)));
}

function loadCorpusCases(): FidelityCase[] {
  const out: FidelityCase[] = [];
  for (const name of readdirSync(casesDir).filter((n) => n.endsWith('.yaml')).sort()) {
    const file = path.relative(repoRoot, path.join(casesDir, name));
    for (const raw of splitDocuments(readFileSync(path.join(casesDir, name), 'utf8'))) {
      const header: string[] = [];
      for (const line of raw.split('\n')) {
        if (!line.startsWith('#')) break;
        header.push(line.replace(/^#\s?/, ''));
      }
      const field = (key: string): string | undefined => header.find((h) => h.startsWith(`${key}:`))?.slice(key.length + 1).trim();
      const id = field('case');
      const expected = field('expect');
      const what = header.filter((h) => !/^(case|expect):/.test(h)).join(' ').trim();
      if (!id || (expected !== 'accept' && expected !== 'reject') || what === '') {
        throw new Error(`${file}: every document needs "# case: <id>", a description and "# expect: accept|reject" before its first line:\n${raw.slice(0, 300)}`);
      }
      out.push({ id, what, expect: expected, file, text: expandPlaceholders(raw), source: 'corpus' });
    }
  }
  return out;
}

/** The real-world files listed in real-world.txt; undefined when ../shared is absent. */
function realWorldFiles(): string[] | undefined {
  const listed = readFileSync(realWorldList, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '');
  if (!listed.every((p) => existsSync(path.resolve(repoRoot, p)))) return undefined;
  return listed;
}

function loadRealWorldCases(files: readonly string[]): FidelityCase[] {
  return files.flatMap((rel) =>
    splitDocuments(readFileSync(path.resolve(repoRoot, rel), 'utf8')).map((text, i) => {
      const o = routingFields(text);
      const short = rel.replace(/^(\.\.\/)+shared\/corpus\//, '');
      return { id: `${short}#${i} ${o.kind}/${o.name ?? ''}`, what: `real-world: document ${i} of ${rel}`, expect: 'accept' as const, file: rel, text, source: 'real-world' as const };
    }),
  );
}

/** apiVersion, kind, name and namespace as plain strings (for URLs only; both sides parse the text themselves). */
function routingFields(text: string): { apiVersion: string; kind: string; name?: string; namespace?: string } {
  const o = parseYaml(text, { uniqueKeys: false }) as Record<string, unknown> | null;
  const meta = (o?.['metadata'] ?? {}) as Record<string, unknown>;
  const apiVersion = o?.['apiVersion'];
  const kind = o?.['kind'];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') throw new Error(`a case without a string apiVersion and kind:\n${text.slice(0, 300)}`);
  const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
  return { apiVersion, kind, name: str(meta['name']), namespace: str(meta['namespace']) };
}

function loadKnownMisses(): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(knownMissesFile)) return out;
  for (const line of readFileSync(knownMissesFile, 'utf8').split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const m = /^(\S+)\s*(.*)$/.exec(t);
    if (m?.[1]) out.set(m[1], (m[2] ?? '').replace(/^#\s*/, ''));
  }
  return out;
}

// --- the two sides -------------------------------------------------------------------------------------------

interface ServerOutcome {
  accepted: boolean;
  status: number;
  message: string;
  /** How the verdict was reached: discovery (kind not served), server-side apply, or create (no name to apply to). */
  via: 'discovery' | 'apply' | 'create';
  /** The same object as a POST create (dry run, strict), to show where apply and create disagree. */
  create?: { accepted: boolean; status: number; message: string };
}

interface KubeplanOutcome {
  accepted: boolean;
  errors: Finding[];
}

interface Result {
  c: FidelityCase;
  server: ServerOutcome;
  kubeplan: KubeplanOutcome;
  kind: 'agree' | 'false-positive' | 'miss';
}

function statusMessage(r: RestResponse): string {
  const m = (r.json as { message?: unknown } | undefined)?.message;
  return (typeof m === 'string' ? m : r.text).replace(/\s+/g, ' ').trim();
}

function serverSide(request: RequestFn): (c: FidelityCase) => Promise<ServerOutcome> {
  const discovery = new Map<string, Promise<RestResponse>>();
  const discover = (apiVersion: string): Promise<RestResponse> => {
    let p = discovery.get(apiVersion);
    if (!p) {
      p = request('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
      discovery.set(apiVersion, p);
    }
    return p;
  };
  return async (c) => {
    const { apiVersion, kind, name, namespace } = routingFields(c.text);
    const d = await discover(apiVersion);
    if (d.status !== 200 && d.status !== 404) throw new Error(`discovery of ${apiVersion}: ${d.status} ${d.text}`);
    const resource = d.status === 200 ? (d.json.resources as { name: string; kind: string; namespaced: boolean }[]).find((r) => r.kind === kind && !r.name.includes('/')) : undefined;
    if (!resource) {
      const why = d.status === 404 ? `the server does not serve ${apiVersion} (GET ${d.status})` : `${apiVersion} has no kind ${JSON.stringify(kind)}`;
      return { accepted: false, status: 404, message: `no matches for kind "${kind}" in version "${apiVersion}": ${why}`, via: 'discovery' };
    }
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const collection = `${base}${resource.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? NAMESPACE)}` : ''}/${resource.name}`;
    const created = await request('POST', `${collection}?dryRun=All&fieldManager=${FIELD_MANAGER}&fieldValidation=Strict`, c.text, 'application/yaml');
    const create = { accepted: created.status >= 200 && created.status < 300, status: created.status, message: statusMessage(created) };
    if (name === undefined || name === '') return { ...create, via: 'create' };
    const applied = await request(
      'PATCH',
      `${collection}/${encodeURIComponent(name)}?dryRun=All&fieldManager=${FIELD_MANAGER}&fieldValidation=Strict&force=true`,
      c.text,
      'application/apply-patch+yaml',
    );
    return { accepted: applied.status >= 200 && applied.status < 300, status: applied.status, message: statusMessage(applied), via: 'apply', create };
  };
}

function isCrd(m: Manifest): boolean {
  const o: JsonObject = m.object;
  return o.kind === 'CustomResourceDefinition' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('apiextensions.k8s.io/');
}

function kubeplanSide(validator: SchemaValidator): (c: FidelityCase) => KubeplanOutcome {
  return (c) => {
    const parsed = parseText(`${c.file}#${c.id}`, c.text);
    const findings: Finding[] = [...parsed.findings];
    for (const m of parsed.manifests) {
      findings.push(...validator.validate(m));
      // A CRD case is checked as `kubeplan validate` checks a CRD in its input: its own schema problems.
      if (isCrd(m)) findings.push(...createSchemaValidator({ kubernetesVersion: KUBERNETES_VERSION }).registerCrds([m]));
    }
    findings.push(...runRules(RULES, parsed.manifests, SETTINGS));
    const errors = findings.filter((f) => f.severity === 'error' && !f.suppressed);
    return { accepted: errors.length === 0, errors };
  };
}

// --- the report ----------------------------------------------------------------------------------------------

function cell(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return cut.replace(/\|/g, '\\|');
}

function describeServer(s: ServerOutcome): string {
  return s.accepted ? `accepted (${s.status})` : `rejected (${s.status}): ${s.message}`;
}

function describeKubeplan(k: KubeplanOutcome): string {
  if (k.accepted) return 'accepted';
  const rules = [...new Set(k.errors.map((f) => f.rule))].join(', ');
  return `rejected [${rules}]: ${k.errors[0]?.message ?? ''}`;
}

function verdictLabel(r: Result, known: ReadonlyMap<string, string>): string {
  if (r.kind === 'agree') return 'agree';
  if (r.kind === 'false-positive') return '**FALSE POSITIVE**';
  return known.has(r.c.id) ? 'miss (known)' : '**MISS (new)**';
}

interface Totals {
  cases: number;
  agree: number;
  serverAccepted: number;
  serverRejected: number;
  bothAccept: number;
  bothReject: number;
  falsePositives: number;
  misses: number;
  skippedRealWorld: boolean;
}

function totalsOf(results: readonly Result[], skippedRealWorld: boolean): Totals {
  const n = (p: (r: Result) => boolean): number => results.filter(p).length;
  return {
    cases: results.length,
    agree: n((r) => r.kind === 'agree'),
    serverAccepted: n((r) => r.server.accepted),
    serverRejected: n((r) => !r.server.accepted),
    bothAccept: n((r) => r.server.accepted && r.kubeplan.accepted),
    bothReject: n((r) => !r.server.accepted && !r.kubeplan.accepted),
    falsePositives: n((r) => r.kind === 'false-positive'),
    misses: n((r) => r.kind === 'miss'),
    skippedRealWorld,
  };
}

function renderTotals(t: Totals): string {
  const pct = t.cases === 0 ? '0' : ((100 * t.agree) / t.cases).toFixed(1);
  return [
    `| | count |`,
    `| --- | ---: |`,
    `| cases | ${t.cases} |`,
    `| agree | **${t.agree}** (${pct}%) |`,
    `| — both accept | ${t.bothAccept} of ${t.serverAccepted} the server accepts |`,
    `| — both reject | ${t.bothReject} of ${t.serverRejected} the server rejects |`,
    `| false positives (kubeplan rejects, server accepts) | **${t.falsePositives}** |`,
    `| misses (server rejects, kubeplan accepts) | **${t.misses}** |`,
    ...(t.skippedRealWorld ? ['| real-world cases | skipped: ../shared is absent |'] : []),
  ].join('\n');
}

function renderTable(results: readonly Result[], known: ReadonlyMap<string, string>): string {
  const rows = results.map(
    (r, i) => `| ${i + 1} | \`${r.c.id}\` | ${cell(r.c.what, 90)} | ${cell(describeServer(r.server), 150)} | ${cell(describeKubeplan(r.kubeplan), 150)} | ${verdictLabel(r, known)} |`,
  );
  return ['| # | case | exercises | API server 1.35 (apply, dry run, strict) | kubeplan | |', '| ---: | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

function renderApplyCreateDiff(results: readonly Result[]): string {
  const differ = results.filter((r) => r.server.create && r.server.create.accepted !== r.server.accepted);
  if (differ.length === 0) return 'Server-side apply and create (POST) gave the same verdict on every case.';
  return [
    'Cases where server-side apply and create (POST, dry run, strict) disagree (the verdict above is apply\'s):',
    '',
    '| case | apply | create |',
    '| --- | --- | --- |',
    ...differ.map((r) => `| \`${r.c.id}\` | ${cell(describeServer(r.server), 150)} | ${cell(r.server.create!.accepted ? `accepted (${r.server.create!.status})` : `rejected (${r.server.create!.status}): ${r.server.create!.message}`, 150)} |`),
  ].join('\n');
}

const START = '<!-- fidelity-report:start (written by test/cluster/fidelity.test.ts with KUBEPLAN_FIDELITY_WRITE=1) -->';
const END = '<!-- fidelity-report:end -->';

function writeDoc(report: string): void {
  const doc = readFileSync(docFile, 'utf8');
  const a = doc.indexOf(START);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${docFile}: no ${START} … ${END} section to rewrite`);
  writeFileSync(docFile, `${doc.slice(0, a + START.length)}\n\n${report}\n\n${doc.slice(b)}`);
}

// --- the tests -----------------------------------------------------------------------------------------------

const corpus = loadCorpusCases();
const realFiles = realWorldFiles();
const cases = [...corpus, ...(realFiles ? loadRealWorldCases(realFiles) : [])];
const knownMisses = loadKnownMisses();

describe('fidelity corpus', () => {
  it('has enough cases, each with a unique id, one object, and both verdicts represented', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    const ids = cases.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const c of cases) expect(() => routingFields(c.text), c.id).not.toThrow();
    expect(corpus.some((c) => c.expect === 'accept')).toBe(true);
    expect(corpus.some((c) => c.expect === 'reject')).toBe(true);
    if (!realFiles) console.warn('fidelity: ../shared is absent, so the real-world cases (real-world.txt) are skipped');
  });

  it('lists as known misses only cases that exist', () => {
    const ids = new Set(cases.map((c) => c.id));
    // Real-world ids (path#doc) cannot be checked when ../shared is absent.
    expect([...knownMisses.keys()].filter((id) => !ids.has(id) && (realFiles !== undefined || !id.includes('#')))).toEqual([]);
  });
});

const binDir = clusterBinDir();
const missing = missingBinaries(binDir);
const skip = missing.length > 0 && !isCI();
if (skip) console.warn(`SKIPPED: ${missingBinariesMessage(binDir, missing)}`);

async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(skip)('fidelity: kubeplan validate against a real 1.35 API server', () => {
  let cluster: Cluster | undefined;
  let request: RequestFn;
  let failures = 0;
  let results: Result[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1 });
    request = restClient(cluster);
    const apply = (p: string, body: string): Promise<RestResponse> => request('PATCH', `${p}?fieldManager=${FIELD_MANAGER}&fieldValidation=Strict`, body, 'application/apply-patch+yaml');

    const namespaces = new Set([NAMESPACE]);
    for (const c of cases) {
      const { kind, namespace } = routingFields(c.text);
      if (namespace && kind !== 'Namespace') namespaces.add(namespace);
    }
    for (const ns of namespaces) {
      const r = await apply(`/api/v1/namespaces/${ns}`, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
      expect(r.status, r.text).toBe(201);
    }
    for (const file of crdFiles) {
      const text = readFileSync(file, 'utf8');
      const name = routingFields(text).name ?? '';
      const r = await apply(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`, text);
      expect(r.status, r.text).toBe(201);
      await eventually(`CRD ${name} Established`, async () => {
        const g = await request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
        return g.json?.status?.conditions?.some((x: { type: string; status: string }) => x.type === 'Established' && x.status === 'True');
      });
    }
    // Bare pods need the namespace's default service account (the ServiceAccount admission plugin looks it up).
    for (const ns of namespaces) await eventually(`service account default in ${ns}`, async () => (await request('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status === 200);
  });

  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      failures++;
    });
  });

  afterAll(async () => {
    if (cluster && failures > 0 && results.length === 0) console.error(`control-plane logs (a test failed):\n${tail(cluster.logs(), 120)}`);
    await cluster?.stop();
  });

  it('sends every case to the API server and to kubeplan, and prints the agreement table', { timeout: 600_000 }, async () => {
    const validator = createSchemaValidator({ kubernetesVersion: KUBERNETES_VERSION, strict: true, ignoreMissingSchemas: false });
    const crdFindings = crdFiles.flatMap((f) => validator.registerCrds(parseText(path.relative(repoRoot, f), readFileSync(f, 'utf8')).manifests));
    expect(crdFindings).toEqual([]);
    const toServer = serverSide(request);
    const toKubeplan = kubeplanSide(validator);
    const out: Result[] = [];
    for (const c of cases) {
      const server = await toServer(c);
      // Server-side apply answers some invalid objects with 500 InternalError ("failed to create typed patch
      // object … field not declared in schema", "failed to convert new object … cannot convert float64 to int32"):
      // a rejection (a 500 Status, the same every time). Other 5xx mean a broken cluster; /readyz is checked below.
      if (server.status > 500 || (server.status === 500 && server.message === '')) throw new Error(`${c.id}: the API server failed (${server.status}): ${server.message}`);
      const kubeplan = toKubeplan(c);
      const kind = server.accepted === kubeplan.accepted ? 'agree' : server.accepted ? 'false-positive' : 'miss';
      out.push({ c, server, kubeplan, kind });
    }
    results = out;
    const ready = await request('GET', '/readyz');
    expect(ready.status, `the API server is not ready after the cases, so its 500s may not be verdicts: ${ready.text}`).toBe(200);

    const totals = totalsOf(results, !realFiles);
    const report = [
      `Kubernetes ${cluster?.versions.kubernetes} API server vs kubeplan (kubernetesVersion ${KUBERNETES_VERSION}).`,
      '',
      renderTotals(totals),
      '',
      renderTable(results, knownMisses),
      '',
      renderApplyCreateDiff(results),
    ].join('\n');
    console.log(`\nfidelity report\n\n${report}\n`);
    if (process.env['KUBEPLAN_FIDELITY_WRITE'] === '1') writeDoc(report);
    expect(results).toHaveLength(cases.length);
  });

  it('every case does what it says: the server verdict matches its "# expect:" line', () => {
    expect(results.length).toBeGreaterThan(0);
    const wrong = results.filter((r) => r.server.accepted !== (r.c.expect === 'accept')).map((r) => `${r.c.id} (expects ${r.c.expect}): ${describeServer(r.server)}`);
    expect(wrong).toEqual([]);
  });

  it('kubeplan rejects nothing the API server accepts (no false positives)', () => {
    expect(results.length).toBeGreaterThan(0);
    const fp = results
      .filter((r) => r.kind === 'false-positive')
      .map((r) => `${r.c.id}: server ${describeServer(r.server)}; kubeplan ${r.kubeplan.errors.map((f) => `${f.rule}: ${f.message}`).join(' / ')}`);
    expect(fp).toEqual([]);
  });

  it('kubeplan misses only the known misses, and every known miss still misses', () => {
    expect(results.length).toBeGreaterThan(0);
    const misses = results.filter((r) => r.kind === 'miss');
    const newMisses = misses.filter((r) => !knownMisses.has(r.c.id)).map((r) => `${r.c.id}: ${describeServer(r.server)}`);
    const missIds = new Set(misses.map((r) => r.c.id));
    const nowCaught = [...knownMisses.keys()].filter((id) => cases.some((c) => c.id === id) && !missIds.has(id));
    expect({ newMisses, nowCaughtRemoveFromKnownMisses: nowCaught }).toEqual({ newMisses: [], nowCaughtRemoveFromKnownMisses: [] });
  });
});
