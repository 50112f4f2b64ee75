import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { resolveConfig } from '../../config/config.ts';
import type { ValidationReport } from '../../core/types.ts';
import { reporters, colorEnabled, type FormatName } from '../../report/index.ts';
import { loadManifests, loadSources, type SourceSpec } from '../../sources/index.ts';
import { readBaseline, writeBaseline } from '../../validate/suppress/baseline.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { packageVersion } from '../version.ts';

interface ValidateOptions {
  staged?: boolean;
  ref?: string;
  changedSince?: string;
  repo: string;
  output: FormatName;
  outputFile?: string;
  kubernetesVersion?: string;
  crd: string[];
  ignoreMissingSchemas?: boolean;
  allowUnknownFields?: boolean;
  defaultNamespace?: string;
  config?: string;
  baseline?: string;
  updateBaseline?: boolean;
  maxWarnings?: number;
  color?: boolean;
}

export async function validateCommand(paths: string[], raw: Record<string, unknown>): Promise<number> {
  const opts = raw as unknown as ValidateOptions;
  const cwd = process.cwd();
  const configResult = resolveConfig(opts.config, cwd);
  if (!configResult.ok) throw new UsageError(configResult.error);
  const config = configResult.config;

  const source = sourceSpec(paths, opts, cwd);
  // Read the sources (git processes, files) while the validator's modules load: a pre-commit hook waits on git.
  const loaded = loadSources(source);
  loaded.catch(() => undefined); // awaited by validate(); an early usage error below must not leave it unhandled
  const { validate } = await import('../../validate/index.ts');
  const extraCrds = [];
  for (const crdPath of [...config.crds, ...opts.crd.map((p) => resolve(cwd, p))]) {
    const crds = await loadManifests({ kind: 'paths', paths: [crdPath], cwd });
    if (!crds.ok) throw new UsageError(`--crd ${crdPath}: ${crds.error}`);
    extraCrds.push(...crds.manifests);
  }
  if (opts.updateBaseline && !opts.baseline) throw new UsageError('--update-baseline needs --baseline <file>');
  const baseline = opts.baseline && !opts.updateBaseline ? readBaseline(resolve(cwd, opts.baseline)) : undefined;
  if (baseline && !baseline.ok) throw new UsageError(baseline.error);

  const kubernetesVersion = opts.kubernetesVersion ?? config.kubernetesVersion;
  const outcome = await validate({
    source,
    loaded,
    ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
    strict: opts.allowUnknownFields ? false : config.strict,
    ignoreMissingSchemas: opts.ignoreMissingSchemas ?? config.ignoreMissingSchemas,
    extraCrds,
    defaultNamespace: opts.defaultNamespace ?? config.defaultNamespace,
    rules: config.rules,
    workloads: config.workloads,
    ...(config.file !== undefined ? { ignore: { baseDir: dirname(config.file), patterns: config.ignorePaths } } : {}),
    ...(baseline?.ok ? { baseline: baseline.baseline } : {}),
  });
  if (!outcome.ok) throw new UsageError(outcome.error);
  const { report } = outcome;

  if (opts.updateBaseline && opts.baseline) {
    writeBaseline(resolve(cwd, opts.baseline), report.findings);
    process.stderr.write(`kubeplan: wrote ${report.findings.length} findings to baseline ${opts.baseline}\n`);
    return ExitCode.ok;
  }

  const stream = opts.outputFile ? {} : process.stdout;
  const color = opts.output === 'stylish' && colorEnabled(stream, process.env, opts.color);
  const text = reporters[opts.output](report, { color, cwd, toolVersion: packageVersion() });
  if (opts.outputFile) writeFileSync(resolve(cwd, opts.outputFile), text);
  else process.stdout.write(text);
  return exitCodeFor(report, opts.maxWarnings);
}

function exitCodeFor(report: ValidationReport, maxWarnings: number | undefined): number {
  if (report.summary.errors > 0) return ExitCode.findings;
  if (maxWarnings !== undefined && report.summary.warnings > maxWarnings) return ExitCode.findings;
  return ExitCode.ok;
}

function sourceSpec(paths: string[], opts: ValidateOptions, cwd: string): SourceSpec {
  const modes = [opts.staged && '--staged', opts.ref !== undefined && '--ref', opts.changedSince !== undefined && '--changed-since'].filter(Boolean);
  if (modes.length > 1) throw new UsageError(`${modes.join(' and ')} cannot be combined`);
  const repo = resolve(cwd, opts.repo);
  const restrict = paths.length > 0 ? { paths } : {};
  if (opts.staged) return { kind: 'git-staged', repo, ...restrict };
  if (opts.ref !== undefined) return { kind: 'git-ref', repo, ref: opts.ref, ...restrict };
  if (opts.changedSince !== undefined) return { kind: 'git-changed-since', repo, base: opts.changedSince, ...restrict };
  if (paths.length === 0) throw new UsageError("no input: give files, directories or globs, '-' for stdin, or --staged/--ref/--changed-since");
  return { kind: 'paths', paths, cwd };
}
