import { getString } from '../../../core/objects.ts';
import type { Rule } from '../rule.ts';
import { ruleMeta } from '../cross-object/support.ts';
import { eachContainer } from './support.ts';

/** The tag of an image reference ("" when untagged), or undefined when pinned by digest. */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon === -1 ? '' : image.slice(colon + 1);
}

export const imageTagMutable: Rule = {
  meta: ruleMeta({
    id: 'image-tag-mutable',
    description: 'A container image is untagged or uses the :latest tag.',
    defaultSeverity: 'warning',
    enabledByDefault: false,
    body: `
## Why

\`:latest\` (or no tag, which means \`:latest\`) changes under you: two pods of one Deployment can run different code,
and a rollback doesn't roll anything back.

## What is checked

\`image\` of containers and init containers: flagged when it has no tag or the tag is \`latest\`. Images pinned by
digest (\`@sha256:…\`) are fine. A registry port (\`registry:5000/app\`) is not mistaken for a tag.
`,
  }),
  check(ctx) {
    eachContainer(ctx, ['initContainers', 'containers'], (c, t, who) => {
      const image = getString(c.container, 'image');
      if (!image) return;
      const tag = imageTag(image);
      if (tag === undefined || (tag !== '' && tag !== 'latest')) return;
      ctx.report({ manifest: t.owner.manifest, path: [...c.path, 'image'], message: `${who} uses image "${image}" ${tag === '' ? 'without a tag (that means :latest)' : 'with the :latest tag'}; pin a version or a digest` });
    });
  },
};
