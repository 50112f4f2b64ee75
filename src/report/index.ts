// The output formats of `kubeplan validate --format <name>`. Every reporter is a pure function from the
// report to the complete text to write (stdout or --output); none of them reads the environment.
import { github } from './github.ts';
import { json } from './json.ts';
import { junit } from './junit.ts';
import { sarif } from './sarif.ts';
import { stylish } from './stylish.ts';
import type { Reporter } from './types.ts';

export type { Reporter, ReporterContext } from './types.ts';
export { colorEnabled } from './stylish.ts';

/** In the order --help lists them; the first is the default. */
export const formatNames = ['stylish', 'json', 'sarif', 'junit', 'github'] as const;
export type FormatName = (typeof formatNames)[number];

export const reporters: Record<FormatName, Reporter> = { stylish, json, sarif, junit, github };

export function isFormatName(name: string): name is FormatName {
  return (formatNames as readonly string[]).includes(name);
}
