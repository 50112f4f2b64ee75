import { Schema, Type } from 'js-yaml';
import { GoFloat, GoProblem, type GoScalar, resolvePlain, resolveTagged } from './go-yaml-scalars.ts';

// A js-yaml schema that reads scalars as go-yaml v2 does (see go-yaml-scalars.ts). Values that need a second look —
// floats and huge integers (boxed so that, as mapping keys, they print as Go prints them), and scalars go-yaml
// refuses — are counted, so the loader knows which documents need a pass over their values and which must be
// re-read on the error-reporting path.

export const constructed = {
  /** GoFloat / GoBigInt values made: their documents need unboxing. */
  boxes: 0,
  /** GoProblem values made, and floats JSON cannot hold (.inf, .nan): their documents are refused. */
  problems: 0,
};

function count(v: GoScalar | GoProblem): GoScalar | GoProblem {
  if (typeof v === 'object' && v !== null) {
    if (v instanceof GoProblem) constructed.problems++;
    else {
      constructed.boxes++;
      if (v instanceof GoFloat && !Number.isFinite(v.value)) constructed.problems++;
    }
  }
  return v;
}

const TAG = 'tag:yaml.org,2002:';

/** `<<` is the merge key (js-yaml merges when a key's tag is tag:yaml.org,2002:merge). Tried first. */
const merge = new Type(`${TAG}merge`, {
  kind: 'scalar',
  resolve: (data: string) => data === '<<',
  construct: () => '<<',
});

/** Every other plain scalar, in one call: the tag it gets does not matter to js-yaml past this point. */
const plain = new Type(`${TAG}go-plain`, {
  kind: 'scalar',
  resolve: () => true,
  construct: (data: string) => {
    const v = resolvePlain(data);
    return typeof v === 'object' && v !== null ? count(v) : v;
  },
});

const text = (data: unknown): string => (typeof data === 'string' ? data : '');

function tagged(short: string): Type {
  return new Type(TAG + short, {
    kind: 'scalar',
    resolve: () => true,
    construct: (data: unknown) => count(resolveTagged(`!!${short}`, text(data))),
  });
}

// go-yaml ignores tags on collections (`!!set {a, b}` is a mapping of nulls, `!!omap [a: 1]` a sequence of one-key
// mappings); a collection tag on an empty node leaves an empty string, as on any scalar with a tag go-yaml does not know.
const collection = (tag: string, kind: 'mapping' | 'sequence'): Type =>
  new Type(tag, { kind, resolve: () => true, construct: (data: unknown) => (data === null ? '' : data) });

// Any other tag, on any kind of node: the node as if untagged, except that a scalar stays text (go-yaml resolves
// only the standard scalar tags). Multi types match by tag prefix, and '' is a prefix of every tag.
const anyTag = (kind: 'scalar' | 'mapping' | 'sequence'): Type =>
  new Type('', {
    kind,
    multi: true,
    resolve: () => true,
    construct: (data: unknown) => (kind === 'scalar' || data === null ? text(data) : data),
  });

export const GO_YAML_SCHEMA = new Schema({
  implicit: [merge, plain],
  explicit: [
    ...['str', 'bool', 'int', 'float', 'null', 'timestamp', 'binary'].map(tagged),
    collection(`${TAG}map`, 'mapping'),
    collection(`${TAG}set`, 'mapping'),
    collection(`${TAG}seq`, 'sequence'),
    collection(`${TAG}omap`, 'sequence'),
    collection(`${TAG}pairs`, 'sequence'),
    anyTag('scalar'),
    anyTag('mapping'),
    anyTag('sequence'),
  ],
});
