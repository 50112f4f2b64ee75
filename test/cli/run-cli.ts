// Runs the built CLI (dist/cli/main.js, the launcher of the bundled dist/cli/cli.js, built once by
// test/setup/build-once.ts) the way users and hooks do.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...opts.env };
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: opts.cwd ?? projectRoot, input: opts.input ?? '', env, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  severity: string;
  rule: string;
  message: string;
  object: { apiVersion: string; kind: string; namespace?: string; name: string } | null;
  suppressed?: { kind: string; justification: string };
}

export function parseJsonReport(stdout: string): { findings: JsonFinding[]; summary: Record<string, number | string> } {
  return JSON.parse(stdout) as { findings: JsonFinding[]; summary: Record<string, number | string> };
}
