import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv } from 'ajv';
import { PACKAGE_ROOT } from '../core/package-root.ts';
import { parseText } from '../manifests/parse.ts';
import type { JsonObject, Severity } from '../core/types.ts';
import type { RuleConfig } from '../validate/rules/run.ts';

export const CONFIG_FILE_NAMES = ['.kubeplan.yaml', '.kubeplan.yml'] as const;

export interface WorkloadAdapter {
  group: string;
  kind: string;
  podTemplatePath: string;
  selectorPath?: string;
}

export interface PlanIgnoreRule {
  group?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  jsonPointers: string[];
}

export interface KubeplanConfig {
  /** Absolute path of the file this came from; undefined for built-in defaults. */
  file?: string;
  kubernetesVersion?: string;
  defaultNamespace: string;
  strict: boolean;
  ignoreMissingSchemas: boolean;
  crds: string[];
  ignorePaths: string[];
  rules: Record<string, RuleConfig>;
  workloads: WorkloadAdapter[];
  plan: { pruneSelector?: string; serverDryRun?: 'changed' | 'all' | 'none'; ignore: PlanIgnoreRule[]; ignoreOtherFieldManagers: boolean; includeWebhookMutations?: boolean };
}

export type ConfigResult = { ok: true; config: KubeplanConfig } | { ok: false; error: string };

export const defaultConfig = (): KubeplanConfig => ({
  defaultNamespace: 'default',
  strict: true,
  ignoreMissingSchemas: false,
  crds: [],
  ignorePaths: [],
  rules: {},
  workloads: [],
  plan: { ignore: [], ignoreOtherFieldManagers: false },
});

/** Nearest `.kubeplan.yaml` from `start` upwards, like ESLint and git find theirs. */
export function findConfigFile(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let schemaValidator: ReturnType<Ajv['compile']> | undefined;
function configSchemaValidator(): ReturnType<Ajv['compile']> {
  if (!schemaValidator) {
    const schemaPath = join(PACKAGE_ROOT, 'kubeplan-config.schema.json');
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
    // Loaded here, not at the top: ajv takes ~30 ms to load, and most runs (a pre-commit hook's) have no config file.
    const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    schemaValidator = new AjvClass({ allErrors: true, strict: false }).compile(schema);
  }
  return schemaValidator;
}

/** Load and check a config file; every problem is reported with file:line:column, as for manifests. */
export function loadConfig(file: string, cwd: string = process.cwd()): ConfigResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { ok: false, error: `cannot read config ${file}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const shown = relative(cwd, file) || file;
  const parsed = parseText(shown, text);
  const first = parsed.findings[0];
  if (first) return { ok: false, error: `${shown}:${first.line}:${first.column}: ${first.message}` };
  const doc = parsed.manifests[0];
  if (!doc) return { ok: true, config: { ...defaultConfig(), file } };
  const validate = configSchemaValidator();
  if (!validate(doc.object)) {
    // One message per setting: a oneOf failure also reports every branch it tried, which says nothing useful.
    const seen = new Set<string>();
    const errors = (validate.errors ?? []).filter((e) => {
      const isBranch = (validate.errors ?? []).some((o) => o !== e && o.keyword === 'oneOf' && o.instancePath === e.instancePath);
      if (isBranch || seen.has(`${e.instancePath}|${e.keyword}`)) return false;
      seen.add(`${e.instancePath}|${e.keyword}`);
      return true;
    });
    const messages = errors.slice(0, 10).map((e) => {
      const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      const extra = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty?: string }).additionalProperty : undefined;
      const at = doc.locate(extra ? [...path, extra] : path, extra ? 'key' : 'value').start;
      const where = path.length > 0 ? `${path.join('.')}: ` : '';
      const what = extra
        ? `unknown setting "${extra}"`
        : e.keyword === 'oneOf' && path[0] === 'rules'
          ? 'expected off, error, warning, info, or {severity, options}'
          : (e.message ?? 'invalid');
      return `${shown}:${at.line}:${at.column}: ${where}${what}`;
    });
    return { ok: false, error: `invalid configuration:\n  ${messages.join('\n  ')}` };
  }
  return { ok: true, config: fromObject(doc.object, file) };
}

function fromObject(o: JsonObject, file: string): KubeplanConfig {
  const base = defaultConfig();
  const dir = dirname(file);
  const rules: Record<string, RuleConfig> = {};
  const rawRules = (o.rules ?? {}) as Record<string, boolean | Severity | 'off' | { severity?: Severity | 'off'; options?: JsonObject }>;
  for (const [id, value] of Object.entries(rawRules)) {
    // YAML 1.1 (what Kubernetes and this file use) reads a bare `off` as false and `on` as true.
    if (value === false) rules[id] = { severity: 'off' };
    else if (value === true) rules[id] = {};
    else if (typeof value === 'string') rules[id] = { severity: value };
    else {
      const rc: RuleConfig = {};
      if (value.severity !== undefined) rc.severity = value.severity;
      if (value.options !== undefined) rc.options = value.options;
      rules[id] = rc;
    }
  }
  const plan = (o.plan ?? {}) as { pruneSelector?: string; serverDryRun?: 'changed' | 'all' | 'none'; ignore?: PlanIgnoreRule[]; ignoreOtherFieldManagers?: boolean; includeWebhookMutations?: boolean };
  const config: KubeplanConfig = {
    ...base,
    file,
    defaultNamespace: typeof o.defaultNamespace === 'string' ? o.defaultNamespace : base.defaultNamespace,
    strict: typeof o.strict === 'boolean' ? o.strict : base.strict,
    ignoreMissingSchemas: typeof o.ignoreMissingSchemas === 'boolean' ? o.ignoreMissingSchemas : base.ignoreMissingSchemas,
    // Paths in the config are relative to the config file, so the same file works from any directory.
    crds: ((o.crds ?? []) as string[]).map((p) => resolve(dir, p)),
    ignorePaths: (o.ignorePaths ?? []) as string[],
    rules,
    workloads: (o.workloads ?? []) as unknown as WorkloadAdapter[],
    plan: {
      ignore: plan.ignore ?? [],
      ignoreOtherFieldManagers: plan.ignoreOtherFieldManagers ?? false,
      ...(plan.pruneSelector !== undefined ? { pruneSelector: plan.pruneSelector } : {}),
      ...(plan.serverDryRun !== undefined ? { serverDryRun: plan.serverDryRun } : {}),
      ...(plan.includeWebhookMutations !== undefined ? { includeWebhookMutations: plan.includeWebhookMutations } : {}),
    },
  };
  if (typeof o.kubernetesVersion === 'string') config.kubernetesVersion = o.kubernetesVersion;
  return config;
}

/** The config for a run: an explicit --config file, else the nearest one upwards, else defaults. */
export function resolveConfig(explicit: string | undefined, cwd: string): ConfigResult {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) return { ok: false, error: `config file not found: ${explicit}` };
    return loadConfig(file, cwd);
  }
  const found = findConfigFile(cwd);
  return found ? loadConfig(found, cwd) : { ok: true, config: defaultConfig() };
}
