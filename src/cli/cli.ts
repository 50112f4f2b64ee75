// The kubeplan command line (commander): its commands, each loaded when it runs. src/cli/main.ts (the launcher)
// loads this module and calls run().
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, UsageError } from './exit-codes.ts';
import { packageVersion } from './version.ts';

const program = new Command()
  .name('kubeplan')
  .description('Validate and lint a git repo of plain Kubernetes manifests, and plan what would change in a cluster: Terraform-style plan for YAML.')
  .addHelpText(
    'after',
    `
Examples:
  kubeplan validate manifests/                        check files and directories
  kubeplan validate --staged                          what a pre-commit hook checks
  kubeplan validate --changed-since origin/main -o sarif --output-file kubeplan.sarif
  kubeplan plan manifests/ --live snapshot.yaml       against \`kubectl get -o yaml\` output
  kubeplan plan manifests/ --kubeconfig ~/.kube/config

Exit codes: 0 no error-level findings, 1 error-level findings, 2 usage or configuration error.`,
  )
  .version(packageVersion(), '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

const formats = ['stylish', 'json', 'sarif', 'junit', 'github'] as const;

program
  .command('validate')
  .summary('check manifests against the Kubernetes API schemas and cross-object rules')
  .description(
    'Check manifests against the Kubernetes API schemas (strict: unknown fields are errors), the rules the API server ' +
      'enforces beyond the schemas, and cross-object rules (selectors, ports, references). ' +
      'Exit 0 when no error-level finding, 1 with errors, 2 on usage or configuration errors.',
  )
  .argument('[paths...]', "files, directories (recursive .yaml/.yml/.json), quoted globs, or '-' for stdin", [])
  .option('--staged', 'check what is staged in git (the pre-commit hook mode); the whole index is loaded for context')
  .option('--ref <rev>', 'check the tree at a git revision instead of the working tree')
  .option('--changed-since <base>', 'report only on files changed since <base> (merge base), with the whole repo as context')
  .option('--repo <dir>', 'git repository for --staged/--ref/--changed-since', '.')
  .addOption(new Option('-o, --output <format>', 'output format').choices(formats).default('stylish'))
  .option('--output-file <file>', 'write the report to a file instead of stdout')
  .option('-k, --kubernetes-version <version>', 'Kubernetes minor version to validate against, e.g. 1.33 (default: newest bundled)')
  .option('--crd <path>', 'CRD manifests (file or directory) whose schemas validate custom resources; repeatable', collect, [])
  .option('--ignore-missing-schemas', 'report kinds without a schema as info instead of errors')
  .option('--allow-unknown-fields', 'do not report fields the schema does not know (the default is strict, like the API server)')
  .option('-n, --default-namespace <ns>', 'namespace assumed for objects without metadata.namespace (default: "default" or config)')
  .option('-c, --config <file>', 'configuration file (default: nearest .kubeplan.yaml upwards)')
  .option('--baseline <file>', 'suppress findings recorded in this baseline file')
  .option('--update-baseline', 'write all current findings to the --baseline file and exit 0')
  .option('--max-warnings <n>', 'exit 1 when there are more than <n> warnings', parseNonNegativeInt)
  .option('--color', 'force colour in stylish output')
  .option('--no-color', 'disable colour')
  .action(async (paths: string[], opts: Record<string, unknown>) => {
    const { validateCommand } = await import('./commands/validate.ts');
    process.exitCode = await validateCommand(paths, opts);
  });

program
  .command('plan')
  .summary('show what would change to bring live state to what the repo declares')
  .description(
    'Compare desired state (the repo) with live state (a cluster, a saved snapshot, or another git ref) and print an ' +
      'ordered plan: create, update, replace, delete (prune), with keyed diffs and selector-impact warnings. ' +
      'Exit 0 with a plan, 1 on errors (an invalid repo gives an incomplete plan), 2 on usage errors; ' +
      'with --detailed-exitcode: 0 no changes, 2 changes, 1 error.',
  )
  .argument('[paths...]', 'desired manifests: files, directories, globs', [])
  .option('--live <path>', 'live state from a snapshot: `kubectl get -o yaml|json` output (file or directory)')
  .option('--live-ref <rev>', 'live state from another git revision ("what changes when this branch merges")')
  .option('--kubeconfig <file>', 'live state from a cluster (default: $KUBECONFIG or ~/.kube/config)')
  .option('--context <name>', 'kubeconfig context')
  .option('--prune-selector <selector>', 'live objects matching this label selector and absent from the repo are deleted')
  .addOption(
    new Option('--server-dry-run <policy>', 'with a cluster, which objects the API server checks with a dry-run apply: those the offline plan changes (default), all, or none')
      .choices(['changed', 'all', 'none']),
  )
  .option('--include-webhook-mutations', 'with a cluster, also plan what mutating admission webhooks change in fields no field manager owns (default: left out and listed)')
  .option('--no-include-webhook-mutations', 'leave those changes out even when .kubeplan.yaml includes them')
  .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
  .option('--out <file>', 'save the plan for `kubeplan apply` (no Secret values are ever written)')
  .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are changes, 1 on error')
  .option('-n, --default-namespace <ns>', 'namespace assumed for objects without metadata.namespace')
  .option('-k, --kubernetes-version <version>', "Kubernetes minor version for validation (with a cluster: its bundled schemas instead of the cluster's)")
  .option('-c, --config <file>', 'configuration file (default: nearest .kubeplan.yaml upwards)')
  .option('--repo <dir>', 'git repository for --live-ref', '.')
  .option('--color', 'force colour')
  .option('--no-color', 'disable colour')
  .action(async (paths: string[], opts: Record<string, unknown>) => {
    const { planCommand } = await import('./commands/plan.ts');
    process.exitCode = await planCommand(paths, opts);
  });

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`expected a non-negative integer, got "${value}"`);
  return n;
}

// `kubeplan validate … | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/** Run one command line (process.argv); the launcher (main.ts) calls it. Sets process.exitCode. */
export async function run(argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; every other parse error is a usage error.
      process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      return;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`kubeplan: ${err.message}\n`);
      process.exitCode = ExitCode.usage;
      return;
    }
    // A bug in kubeplan: say so plainly, keep the stack for the report, and never exit 0.
    process.stderr.write(`kubeplan: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = ExitCode.usage;
  }
}

