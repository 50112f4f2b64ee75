import { describeNode } from '../../../graph/index.ts';
import { parseIgnoreAnnotation } from '../../suppress/annotation.ts';
import { ignoreSites } from '../../suppress/inline.ts';
import type { Rule } from '../rule.ts';
import { graphOf, ruleMeta } from './support.ts';

/** The rule needs the ids of its sibling rules for "did you mean"; index.ts passes them lazily. */
export function makeInvalidSuppression(knownRuleIds: () => Iterable<string>): Rule {
  return {
    meta: ruleMeta({
      id: 'invalid-suppression',
      description: 'A kubeplan.dev/ignore annotation is malformed (no reason, no rule id) or names a misspelt rule, so it suppresses nothing.',
      defaultSeverity: 'warning',
      enabledByDefault: true,
      body: `
## Why

A suppression that doesn't parse silently suppresses nothing, and one without a reason can't be reviewed. Both are
reported so they get fixed instead of ignored.

## What is checked

Every \`kubeplan.dev/ignore\` annotation on an object or its pod template:

- each clause is \`rule-id[,rule-id…]: reason\` (or \`*: reason\`); clauses are separated by \`;\` or newlines;
- the reason is required;
- rule ids are kebab-case; an id one or two letters away from a known rule id is reported as a likely typo.
`,
    }),
    check(ctx) {
      const graph = graphOf(ctx);
      const known = new Set(knownRuleIds());
      for (const m of ctx.reportedManifests) {
        const node = graph.nodeOf(m);
        const sites = ignoreSites(m, graph);
        for (const site of sites) {
          const who = node ? `${describeNode(node)}: ` : '';
          const parsed = parseIgnoreAnnotation(site.value);
          for (const p of parsed.problems) ctx.report({ manifest: m, path: site.path, message: `${who}kubeplan.dev/ignore: ${p}; this clause suppresses nothing` });
          for (const c of parsed.clauses) {
            for (const id of c.rules) {
              if (id === '*' || known.has(id)) continue;
              const near = [...known].find((k) => distance(k, id) <= 2);
              if (near) ctx.report({ manifest: m, path: site.path, message: `${who}kubeplan.dev/ignore names "${id}", which is not a rule; did you mean "${near}"?` });
            }
          }
        }
      }
    },
  };
}

/** Levenshtein distance, small strings only. */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] ?? 0;
      prev[j] = Math.min((prev[j] ?? 0) + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length] ?? 0;
}
