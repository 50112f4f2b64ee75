import { getObject } from '../../../core/objects.ts';
import { describeNode } from '../../../graph/index.ts';
import type { Rule } from '../rule.ts';
import { graphOf, reportAt, ruleMeta } from './support.ts';

export const secretCommitted: Rule = {
  meta: ruleMeta({
    id: 'secret-committed',
    description: 'A Secret with values in data or stringData is committed to the repository.',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    body: `
## Why

\`data\` is only base64, not encryption: everyone who can read the repository (and its history, forever) can read the
Secret. Commit a \`SealedSecret\`, an \`ExternalSecret\`, or a SOPS-encrypted file instead, or create the Secret out of band.

## What is checked

Secrets (\`v1\`) whose \`data\` or \`stringData\` has at least one non-empty value. The message names the keys, **never
the values**. Secrets with only empty values (placeholders) are not reported.
`,
  }),
  check(ctx) {
    const graph = graphOf(ctx);
    for (const s of graph.ofKind('', 'Secret')) {
      for (const field of ['data', 'stringData'] as const) {
        const map = getObject(s.manifest.object, field);
        if (!map) continue;
        const keys = Object.entries(map)
          .filter(([, v]) => v !== null && v !== '')
          .map(([k]) => k)
          .sort();
        if (keys.length === 0) continue;
        const shown = keys.slice(0, 5).join(', ') + (keys.length > 5 ? `, … (${keys.length} keys)` : '');
        reportAt(ctx, s, [field], `${describeNode(s)} commits ${keys.length === 1 ? 'a value' : `${keys.length} values`} in ${field} (${shown}) to the repository, readable by anyone with access to it; use a SealedSecret, ExternalSecret or SOPS instead`, undefined, 'key');
      }
    }
  },
};
