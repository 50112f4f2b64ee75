// Findings about the input itself (files that cannot be read or parsed) carry rule ids too, so reports, SARIF
// rule lists and the rule index describe them like every other rule.
import type { RuleMeta } from '../core/types.ts';
import { PARSE_RULES } from '../manifests/parse.ts';
import { SOURCE_RULE_META } from '../sources/index.ts';

export const inputRuleMetas: readonly RuleMeta[] = [
  {
    id: PARSE_RULES.syntax,
    description: 'A YAML or JSON syntax error, a duplicate mapping key, an alias bomb, or a value JSON cannot hold (.inf, .nan).',
    defaultSeverity: 'error',
    enabledByDefault: true,
  },
  { id: PARSE_RULES.encoding, description: 'A file that is not UTF-8 text (binary, or invalid UTF-8).', defaultSeverity: 'error', enabledByDefault: true },
  { id: PARSE_RULES.tooLarge, description: 'A file over the 32 MiB limit for one manifest file.', defaultSeverity: 'error', enabledByDefault: true },
  { id: PARSE_RULES.notObject, description: 'A document that is not a mapping (a list or a scalar at the top level).', defaultSeverity: 'error', enabledByDefault: true },
  ...SOURCE_RULE_META,
];
