// The contract pipelines rely on (ESLint's convention; README "Exit codes").
export const ExitCode = {
  /** No error-level findings (warnings allowed). `plan --detailed-exitcode`: no changes. */
  ok: 0,
  /** Error-level findings (YAML syntax errors included), or a failed plan/apply. */
  findings: 1,
  /** Usage or configuration error: bad flag, missing path, bad ref, invalid .kubeplan.yaml. `plan --detailed-exitcode`: changes present. */
  usage: 2,
} as const;

/** Thrown for problems with how kubeplan was called; main() prints the message and exits 2, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
