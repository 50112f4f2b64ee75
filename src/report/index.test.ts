import { describe, expect, it } from 'vitest';
import { ctx, makeReport } from '../../test/fixtures/report/report.ts';
import { colorEnabled, formatNames, isFormatName, reporters } from './index.ts';
import { stylish } from './stylish.ts';

describe('reporter registry', () => {
  it('lists the formats with stylish (the default) first, and has a reporter for each', () => {
    expect(formatNames).toEqual(['stylish', 'json', 'sarif', 'junit', 'github']);
    expect(Object.keys(reporters).sort()).toEqual([...formatNames].sort());
  });

  it('recognises format names exactly', () => {
    expect(isFormatName('sarif')).toBe(true);
    expect(isFormatName('SARIF')).toBe(false);
    expect(isFormatName('checkstyle')).toBe(false);
    expect(isFormatName('toString')).toBe(false);
  });

  it('routes each name to its reporter', () => {
    const report = makeReport();
    expect(reporters.stylish(report, ctx)).toBe(stylish(report, ctx));
    expect(JSON.parse(reporters.json(report, ctx))).toHaveProperty('summary.kubernetesVersion', '1.36');
    expect(JSON.parse(reporters.sarif(report, ctx))).toHaveProperty('version', '2.1.0');
    expect(reporters.junit(report, ctx)).toMatch(/^<\?xml /);
    expect(reporters.github(report, ctx)).toMatch(/^::error /);
  });

  it('never colours machine formats, whatever ctx.color says', () => {
    const report = makeReport();
    for (const name of ['json', 'sarif', 'junit', 'github'] as const) {
      const coloured = reporters[name](report, { ...ctx, color: true });
      expect(coloured).toBe(reporters[name](report, { ...ctx, color: false }));
      expect(coloured).not.toContain('\u001b[');
    }
  });

  it('re-exports the colour decision', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  });
});
