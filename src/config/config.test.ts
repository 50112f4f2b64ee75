import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findConfigFile, loadConfig, resolveConfig } from './config.ts';

function configIn(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubeplan-cfg-'));
  const file = join(dir, '.kubeplan.yaml');
  writeFileSync(file, text);
  return file;
}

describe('.kubeplan.yaml', () => {
  it('reads every setting, with paths relative to the config file', () => {
    const file = configIn(
      'kubernetesVersion: "1.33"\ndefaultNamespace: shop\nstrict: false\ncrds: [vendor/crds]\nrules:\n  probes-missing: warning\n  secret-committed: {severity: info}\nworkloads:\n  - {group: argoproj.io, kind: Rollout, podTemplatePath: spec.template}\nplan:\n  pruneSelector: team=shop\n  serverDryRun: all\n',
    );
    const r = loadConfig(file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({ kubernetesVersion: '1.33', defaultNamespace: 'shop', strict: false, plan: { pruneSelector: 'team=shop', serverDryRun: 'all' } });
    expect(r.config.crds).toEqual([join(file, '..', 'vendor', 'crds')]);
    expect(r.config.rules).toEqual({ 'probes-missing': { severity: 'warning' }, 'secret-committed': { severity: 'info' } });
  });

  it('plan.includeWebhookMutations: a boolean, absent by default (the CLI flag decides, else left out)', () => {
    const r = loadConfig(configIn('plan:\n  includeWebhookMutations: true\n'));
    expect(r.ok && r.config.plan.includeWebhookMutations).toBe(true);
    const none = loadConfig(configIn('plan: {serverDryRun: all}\n'));
    expect(none.ok && 'includeWebhookMutations' in none.config.plan).toBe(false);
    const bad = loadConfig(configIn('plan:\n  includeWebhookMutations: sometimes\n'));
    expect(!bad.ok && bad.error).toContain('.kubeplan.yaml:2:28: plan.includeWebhookMutations: must be boolean');
  });

  it('reads bare YAML off/on (booleans in YAML 1.1) as rule switches', () => {
    const r = loadConfig(configIn('rules:\n  secret-committed: off\n  probes-missing: on\n'));
    expect(r.ok && r.config.rules).toEqual({ 'secret-committed': { severity: 'off' }, 'probes-missing': {} });
  });

  it('reports a misspelt setting and a bad rule value with file:line:column, one message each', () => {
    const r = loadConfig(configIn('defaultNamespace: shop\nstrictt: true\nrules:\n  secret-committed: loud\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toContain('.kubeplan.yaml:2:1: unknown setting "strictt"');
    expect(r.error).toContain('.kubeplan.yaml:4:21: rules.secret-committed: expected off, error, warning, info, or {severity, options}');
    expect(r.error.split('\n').length).toBe(3);
  });

  it('reports YAML syntax errors in the config with a position', () => {
    const r = loadConfig(configIn('rules: [\n'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/\.kubeplan\.yaml:\d+:\d+: /);
  });

  it('is found upwards from the working directory; --config wins; absent means defaults', () => {
    const file = configIn('defaultNamespace: up\n');
    const deep = join(file, '..', 'a', 'b');
    mkdirSync(deep, { recursive: true });
    expect(findConfigFile(deep)).toBe(file);
    const r = resolveConfig(undefined, deep);
    expect(r.ok && r.config.defaultNamespace).toBe('up');
    expect(resolveConfig('missing.yaml', deep).ok).toBe(false);
    const none = resolveConfig(undefined, mkdtempSync(join(tmpdir(), 'kubeplan-nocfg-')));
    expect(none.ok && none.config.defaultNamespace).toBe('default');
  });
});
