import type { ValidationReport } from '../core/types.ts';

/** What the CLI knows about where the output goes; reporters are pure functions of the report and this. */
export interface ReporterContext {
  /** Only stylish colours its output; the machine formats ignore this. */
  color: boolean;
  /** Working directory the display paths are relative to; used to make absolute paths repo-relative. */
  cwd: string;
  /** kubeplan's own version (package.json), for SARIF `tool.driver.version`. */
  toolVersion: string;
  /** Project home page for SARIF `tool.driver.informationUri`; omitted from the log when absent. */
  informationUri?: string;
}

export type Reporter = (report: ValidationReport, ctx: ReporterContext) => string;
