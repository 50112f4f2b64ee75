import { getString } from '../../../core/objects.ts';
import type { Rule } from '../rule.ts';
import { ruleMeta } from '../cross-object/support.ts';
import { eachContainer, PROBE_SKIP_KINDS } from './support.ts';

export const probesMissing: Rule = {
  meta: ruleMeta({
    id: 'probes-missing',
    description: 'A long-running container has no readinessProbe or no livenessProbe.',
    defaultSeverity: 'warning',
    enabledByDefault: false,
    body: `
## Why

Without a readiness probe a pod receives traffic before it can serve it and during shutdown; without a liveness probe
a wedged process is never restarted.

## What is checked

Regular containers of long-running pod templates (not Jobs, CronJobs, or Pods with \`restartPolicy: Never\` /
\`OnFailure\`). Init containers and sidecars are not checked.
`,
  }),
  check(ctx) {
    eachContainer(ctx, ['containers'], (c, t, who) => {
      if (PROBE_SKIP_KINDS.has(t.owner.kind)) return;
      const restart = getString(t.spec, 'restartPolicy');
      if (restart === 'Never' || restart === 'OnFailure') return;
      const missing = ['readinessProbe', 'livenessProbe'].filter((p) => c.container[p] === undefined);
      if (missing.length === 0) return;
      ctx.report({ manifest: t.owner.manifest, path: [...c.path, 'name'], message: `${who} has no ${missing.join(' and no ')}` });
    });
  },
};
