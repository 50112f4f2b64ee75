import { describe, expect, it } from 'vitest';
import { ctx, DEPLOY, findings, makeReport, rules, UNICODE } from '../../test/fixtures/report/report.ts';
import { sarifSchemaErrors } from '../../test/fixtures/report/sarif-validator.ts';
import type { Finding } from '../core/types.ts';
import { artifactUri, FINGERPRINT_KEY, sarif, sarifLog } from './sarif.ts';
import type { ReporterContext } from './types.ts';

interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> };
    logicalLocations?: { name: string; fullyQualifiedName: string; kind: string; properties: Record<string, string> }[];
  }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; status: string; justification?: string }[];
}
interface Rule {
  id: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  help?: { text: string; markdown: string };
  defaultConfiguration: { level: string };
}
interface Log {
  $schema: string;
  version: string;
  runs: { tool: { driver: { name: string; version: string; informationUri?: string; rules: Rule[] } }; results: Result[]; columnKind: string }[];
}

const log = (report = makeReport(), context: ReporterContext = ctx): Log => JSON.parse(sarif(report, context)) as Log;
const run = (report = makeReport()) => log(report).runs[0]!;
const fingerprintOf = (f: Finding): string => run(makeReport([f])).results[0]!.partialFingerprints[FINGERPRINT_KEY]!;

describe('sarif reporter: validity', () => {
  it('produces a log that validates against the official SARIF 2.1.0 schema', () => {
    expect(sarifSchemaErrors(log())).toEqual([]);
  });

  it('stays valid for a clean run, with results: [] present (not omitted)', () => {
    const clean = log(makeReport([]));
    expect(sarifSchemaErrors(clean)).toEqual([]);
    expect(clean.runs[0]!.results).toEqual([]);
    expect(clean.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(rules.map((r) => r.id));
  });

  it('stays valid with an informationUri, absolute paths and odd positions', () => {
    const odd: Finding[] = [
      { file: '/elsewhere/x y.yaml', line: 0, column: 0, severity: 'info', rule: 'r', message: 'm', object: null },
      { file: '/work/repo/sub/a.yaml', line: 5, column: 9, endLine: 4, endColumn: 1, severity: 'error', rule: 'r', message: 'm', object: null },
      { file: 'b.yaml', line: 5, column: 9, endLine: 5, endColumn: 3, severity: 'warning', rule: 'r', message: '', object: null },
    ];
    const withUri = log(makeReport(odd, []), { ...ctx, informationUri: 'https://kubeplan.example/docs' });
    expect(sarifSchemaErrors(withUri)).toEqual([]);
    expect(withUri.runs[0]!.tool.driver.informationUri).toBe('https://kubeplan.example/docs');
  });

  it('the validator is live: it rejects a log with an invalid level, line 0 and an unencoded URI', () => {
    const broken = log();
    const result = broken.runs[0]!.results[0]!;
    result.level = 'info';
    result.locations[0]!.physicalLocation.region.startLine = 0;
    result.locations[0]!.physicalLocation.artifactLocation.uri = 'a b/c d.yaml';
    const errors = sarifSchemaErrors(broken);
    expect(errors.some((e) => e.endsWith('/level must be equal to one of the allowed values'))).toBe(true);
    expect(errors.some((e) => e.endsWith('/startLine must be >= 1'))).toBe(true);
    expect(errors.some((e) => e.includes('must match format "uri-reference"'))).toBe(true);
  });
});

describe('sarif reporter: content', () => {
  it('describes the tool and every rule that ran, then rules that appear only in findings', () => {
    const { tool } = run();
    expect(tool.driver.name).toBe('kubeplan');
    expect(tool.driver.version).toBe('0.1.0');
    expect(tool.driver.informationUri).toBeUndefined();
    expect(tool.driver.rules.map((r) => r.id)).toEqual([...rules.map((r) => r.id), 'yaml-syntax']);
    const limits = tool.driver.rules.find((r) => r.id === 'resources-limits')!;
    expect(limits).toEqual({
      id: 'resources-limits',
      shortDescription: { text: 'Containers set CPU and memory limits.' },
      fullDescription: { text: 'A container without limits can starve its neighbours on the node.' },
      help: { text: rules[1]!.help!.trim(), markdown: rules[1]!.help!.trim() },
      defaultConfiguration: { level: 'warning' },
    });
    expect(tool.driver.rules.find((r) => r.id === 'image-tag-latest')?.defaultConfiguration.level).toBe('note');
    expect(tool.driver.rules.find((r) => r.id === 'schema')).not.toHaveProperty('help');
  });

  it('writes one result per finding, suppressed ones included, with ruleIndex pointing at the same rule id', () => {
    const r = run();
    expect(r.results).toHaveLength(findings.length);
    for (const result of r.results) expect(r.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(r.results.map((x) => x.level)).toEqual(makeReport().findings.map((f) => ({ error: 'error', warning: 'warning', info: 'note' })[f.severity]));
  });

  it('locates results precisely: repo-relative percent-encoded URI, start and end of the YAML node', () => {
    const r = run();
    const schema = r.results.find((x) => x.ruleId === 'schema')!;
    expect(schema.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: DEPLOY }, region: { startLine: 9, startColumn: 13, endLine: 9, endColumn: 20 } });
    const unicode = r.results.find((x) => x.ruleId === 'configmap-key')!;
    expect(unicode.locations[0]!.physicalLocation.artifactLocation.uri).toBe('manifests/%E6%97%A5%E6%9C%AC%20dir/config%231.yaml');
    expect(decodeURIComponent(unicode.locations[0]!.physicalLocation.artifactLocation.uri)).toBe(UNICODE);
    const noEnd = r.results.find((x) => x.ruleId === 'image-tag-latest')!;
    expect(noEnd.locations[0]!.physicalLocation.region).toEqual({ startLine: 20, startColumn: 18 });
    expect(r.columnKind).toBe('utf16CodeUnits');
  });

  it('names the object as a logical location and in the message, and leaves file-level results without one', () => {
    const r = run();
    const schema = r.results.find((x) => x.ruleId === 'schema')!;
    expect(schema.locations[0]!.logicalLocations).toEqual([
      { name: 'web', fullyQualifiedName: 'Deployment shop/web', kind: 'resource', properties: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' } },
    ]);
    expect(schema.message.text).toBe('Deployment shop/web: spec.replicas: expected integer, got string "three"');
    const clusterScoped = r.results.find((x) => x.ruleId === 'rbac-wildcard')!;
    expect(clusterScoped.locations[0]!.logicalLocations?.[0]?.properties).toEqual({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'reader' });
    expect(r.results.find((x) => x.ruleId === 'service-selector-no-match')!.message.text).toBe('Service shop/web: selector app=wbe matches no pod template in namespace shop');
    const syntax = r.results.find((x) => x.ruleId === 'yaml-syntax')!;
    expect(syntax.locations[0]).not.toHaveProperty('logicalLocations');
    expect(syntax.message.text).toBe('unexpected "<" & \'>\' in a plain scalar');
  });

  it('keeps suppressed findings as results with inSource/external suppressions and their justification', () => {
    const r = run();
    const inline = r.results.find((x) => x.message.text.includes('sidecar'))!;
    expect(inline.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'sidecar is tiny & bursty; see <ops/runbook>' }]);
    const baseline = r.results.find((x) => x.ruleId === 'configmap-key')!;
    expect(baseline.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'legacy keys; tracked in #123' }]);
    const noReason = r.results.find((x) => x.ruleId === 'label-value' && x.suppressions)!;
    expect(noReason.suppressions).toEqual([{ kind: 'external', status: 'accepted' }]);
    expect(r.results.filter((x) => x.suppressions).length).toBe(3);
  });

  it('is deterministic', () => {
    expect(sarif(makeReport(), ctx)).toBe(sarif(makeReport(), ctx));
  });
});

describe('sarif reporter: partialFingerprints', () => {
  const base: Finding = { file: DEPLOY, line: 9, column: 13, endLine: 9, endColumn: 20, severity: 'error', rule: 'schema', message: 'spec.replicas: expected integer', object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' } };

  it('are stable across runs and do not depend on the line or column (YAML moved around)', () => {
    const fp = fingerprintOf(base);
    expect(fp).toMatch(/^[0-9a-f]{32}:1$/);
    expect(fingerprintOf({ ...base })).toBe(fp);
    expect(fingerprintOf({ ...base, line: 120, column: 3, endLine: 121, endColumn: 1 })).toBe(fp);
  });

  it('do not depend on the API version (apps/v1beta2 → apps/v1 is the same object) or on the severity', () => {
    const fp = fingerprintOf(base);
    expect(fingerprintOf({ ...base, object: { ...base.object!, apiVersion: 'apps/v1beta2' } })).toBe(fp);
    expect(fingerprintOf({ ...base, severity: 'warning' })).toBe(fp);
  });

  it('change with rule, file, object identity or message', () => {
    const fp = fingerprintOf(base);
    const variants: Finding[] = [
      { ...base, rule: 'other' },
      { ...base, file: 'manifests/other.yaml' },
      { ...base, object: { ...base.object!, name: 'api' } },
      { ...base, object: { ...base.object!, namespace: 'prod' } },
      { ...base, object: { ...base.object!, kind: 'StatefulSet' } },
      { ...base, object: { ...base.object!, apiVersion: 'extensions/v1beta1' } },
      { ...base, object: null },
      { ...base, message: 'spec.replicas: expected integer, got string' },
    ];
    const fps = variants.map(fingerprintOf);
    for (const other of fps) expect(other).not.toBe(fp);
    expect(new Set(fps).size).toBe(fps.length);
  });

  it('number identical findings in report order so they stay distinct', () => {
    const results = run(makeReport([base, { ...base, line: 30 }, { ...base, line: 60, message: 'different' }])).results;
    const fps = results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]!);
    expect(fps[0]!.endsWith(':1')).toBe(true);
    expect(fps[1]).toBe(`${fps[0]!.slice(0, -2)}:2`);
    expect(fps[2]!.endsWith(':1')).toBe(true);
    expect(new Set(fps).size).toBe(3);
  });
});

describe('artifactUri', () => {
  it('percent-encodes each segment of a relative POSIX path and keeps the slashes', () => {
    expect(artifactUri('manifests/app.yaml', '/repo')).toBe('manifests/app.yaml');
    expect(artifactUri('a b/c#d?e%f.yaml', '/repo')).toBe('a%20b/c%23d%3Fe%25f.yaml');
    expect(artifactUri('k:v/x.yaml', '/repo')).toBe('k%3Av/x.yaml');
    expect(artifactUri('ünï/日本.yaml', '/repo')).toBe('%C3%BCn%C3%AF/%E6%97%A5%E6%9C%AC.yaml');
  });

  it('makes absolute paths under cwd relative, and others file: URIs', () => {
    expect(artifactUri('/repo/deploy/a b.yaml', '/repo')).toBe('deploy/a%20b.yaml');
    expect(artifactUri('/other/a b.yaml', '/repo')).toBe('file:///other/a%20b.yaml');
    expect(artifactUri('/repo-two/a.yaml', '/repo')).toBe('file:///repo-two/a.yaml');
  });
});

describe('sarifLog', () => {
  it('returns the same document the reporter prints', () => {
    expect(JSON.parse(sarif(makeReport(), ctx))).toEqual(sarifLog(makeReport(), ctx));
  });
});
