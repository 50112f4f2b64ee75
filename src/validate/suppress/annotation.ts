// The inline suppression annotation:
//
//   metadata:
//     annotations:
//       kubeplan.dev/ignore: "service-selector-no-match, pdb-selects-no-pods: pods come from the vendor chart"
//
// value   := clause ( (";" | newline) clause )*
// clause  := rules ":" reason
// rules   := rule-id ( "," rule-id )*      — "*" means every rule
// reason  := free text, required (it becomes the SARIF suppression justification); it may contain ":" and ","
//            but not ";" or a newline, which start the next clause.
// A clause without a reason suppresses nothing and is reported by the invalid-suppression rule.

export const IGNORE_ANNOTATION = 'kubeplan.dev/ignore';

export interface IgnoreClause {
  /** Rule ids, or ["*"] for every rule. */
  rules: string[];
  reason: string;
}

export interface ParsedIgnore {
  clauses: IgnoreClause[];
  problems: string[];
}

const RULE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function parseIgnoreAnnotation(value: string): ParsedIgnore {
  const clauses: IgnoreClause[] = [];
  const problems: string[] = [];
  for (const rawClause of value.split(/[;\n]/)) {
    const clause = rawClause.trim();
    if (clause === '') continue;
    const colon = clause.indexOf(':');
    if (colon === -1) {
      problems.push(`"${clause}" has no reason: write "${clause}: <why this is fine here>" (a reason is required)`);
      continue;
    }
    const rules = clause
      .slice(0, colon)
      .split(',')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    const reason = clause.slice(colon + 1).trim();
    if (rules.length === 0) {
      problems.push(`"${clause}" names no rule: write "<rule-id>[,<rule-id>…]: <reason>", or "*: <reason>" for every rule`);
      continue;
    }
    const bad = rules.filter((r) => r !== '*' && !RULE_ID.test(r));
    if (bad.length > 0) {
      problems.push(`${bad.map((b) => `"${b}"`).join(', ')} ${bad.length === 1 ? 'is not a rule id' : 'are not rule ids'} (rule ids are kebab-case, e.g. service-selector-no-match)`);
      continue;
    }
    if (reason === '') {
      problems.push(`"${clause}" has an empty reason: say why the finding is acceptable (a reason is required)`);
      continue;
    }
    clauses.push({ rules, reason });
  }
  return { clauses, problems };
}

/** The reason a set of clauses gives for suppressing `rule`, if any. */
export function reasonFor(clauses: readonly IgnoreClause[], rule: string): string | undefined {
  return clauses.find((c) => c.rules.includes(rule))?.reason ?? clauses.find((c) => c.rules.includes('*'))?.reason;
}
