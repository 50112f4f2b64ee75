import { describe, expect, it } from 'vitest';
import { ctx, DEPLOY, makeReport } from '../../test/fixtures/report/report.ts';
import type { Finding } from '../core/types.ts';
import { json } from './json.ts';

describe('json reporter', () => {
  it('writes one parseable document with every finding and the summary', () => {
    const report = makeReport();
    const text = json(report, ctx);
    expect(text.endsWith('}\n')).toBe(true);
    const doc = JSON.parse(text) as { findings: unknown[]; summary: unknown };
    expect(Object.keys(doc)).toEqual(['findings', 'summary']);
    expect(doc.findings).toHaveLength(report.findings.length);
    expect(doc.summary).toEqual({ files: 14, objects: 120, errors: 4, warnings: 2, infos: 2, suppressed: 3, kubernetesVersion: '1.36' });
  });

  it('writes keys in the documented order and omits absent optional keys', () => {
    const doc = JSON.parse(json(makeReport(), ctx)) as { findings: Record<string, unknown>[] };
    const keys = doc.findings.map((f) => Object.keys(f).join(','));
    expect(keys).toContain('file,line,column,endLine,endColumn,severity,rule,message,object');
    expect(keys).toContain('file,line,column,severity,rule,message,object');
    expect(keys).toContain('file,line,column,endLine,endColumn,severity,rule,message,object,suppressed');
    expect(keys.every((k) => /^file,line,column,(endLine,endColumn,)?severity,rule,message,object(,suppressed)?$/.test(k))).toBe(true);
    const withObject = doc.findings.find((f) => (f.object as { kind?: string } | null)?.kind === 'Deployment') as { object: Record<string, unknown> };
    expect(Object.keys(withObject.object)).toEqual(['apiVersion', 'kind', 'namespace', 'name']);
    const clusterScoped = doc.findings.find((f) => (f.object as { kind?: string } | null)?.kind === 'ClusterRole') as { object: Record<string, unknown> };
    expect(Object.keys(clusterScoped.object)).toEqual(['apiVersion', 'kind', 'name']);
    expect(doc.findings.filter((f) => f.object === null)).toHaveLength(2);
  });

  it('is stable: the same report gives the same bytes whatever order the finding keys were built in', () => {
    const a: Finding = { file: DEPLOY, line: 1, column: 2, endLine: 1, endColumn: 5, severity: 'error', rule: 'schema', message: 'm', object: null, suppressed: { kind: 'inline', justification: 'j' } };
    const b = { suppressed: { justification: 'j', kind: 'inline' }, object: null, message: 'm', rule: 'schema', severity: 'error', endColumn: 5, endLine: 1, column: 2, line: 1, file: DEPLOY } as Finding;
    expect(json(makeReport([b]), ctx)).toBe(json(makeReport([a]), ctx));
    expect(json(makeReport(), ctx)).toBe(json(makeReport(), ctx));
  });

  it('round-trips messages with quotes, backslashes, control characters and unicode exactly', () => {
    const report = makeReport();
    const doc = JSON.parse(json(report, ctx)) as { findings: { message: string; file: string }[] };
    expect(doc.findings.map((f) => f.message)).toEqual(report.findings.map((f) => f.message));
    expect(doc.findings.map((f) => f.file)).toEqual(report.findings.map((f) => f.file));
  });

  it('adds nothing beyond the finding fields (no object contents)', () => {
    const finding = { file: DEPLOY, line: 1, column: 1, severity: 'error', rule: 'schema', message: 'm', object: { apiVersion: 'v1', kind: 'Secret', name: 's', data: { password: 'aHVudGVyMg==' } } } as unknown as Finding;
    expect(json(makeReport([finding]), ctx)).not.toContain('aHVudGVyMg==');
  });

  it('writes an empty findings array for a clean run', () => {
    const doc = JSON.parse(json(makeReport([]), ctx)) as { findings: unknown[]; summary: { errors: number } };
    expect(doc.findings).toEqual([]);
    expect(doc.summary.errors).toBe(0);
  });
});
