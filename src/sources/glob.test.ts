import { describe, expect, it } from 'vitest';
import { expandBraces, globBase, globToRegExp, hasGlobMagic } from './glob.ts';

describe('globToRegExp', () => {
  const table: [pattern: string, path: string, matches: boolean][] = [
    ['manifests/*.yaml', 'manifests/a.yaml', true],
    ['manifests/*.yaml', 'manifests/sub/a.yaml', false],
    ['manifests/*.yaml', 'manifests/.hidden.yaml', false],
    ['manifests/.*.yaml', 'manifests/.hidden.yaml', true],
    ['manifests/**/*.yaml', 'manifests/a.yaml', true],
    ['manifests/**/*.yaml', 'manifests/x/y/z/a.yaml', true],
    ['manifests/**/*.yaml', 'manifests/.git/a.yaml', false],
    ['manifests/**/*.yaml', 'manifests/x/.y/a.yaml', false],
    ['manifests/**/*.yaml', 'other/a.yaml', false],
    ['manifests/**/*.yaml', 'manifests/a.yml', false],
    ['**/*.yaml', 'a.yaml', true],
    ['**/*.yaml', 'a/b/c.yaml', true],
    ['**/*.yaml', '.github/workflows/ci.yaml', false],
    ['**', 'a/b/c', true],
    ['apps/**', 'apps/x/y.yaml', true],
    ['apps/**', 'appsx/y.yaml', false],
    ['**/kustomization.yaml', 'base/kustomization.yaml', true],
    ['a/**/b/*.yaml', 'a/b/x.yaml', true],
    ['a/**/b/*.yaml', 'a/q/r/b/x.yaml', true],
    ['*.{yaml,yml}', 'x.yml', true],
    ['*.{yaml,yml}', 'x.json', false],
    ['{base,overlays/prod}/*.yaml', 'overlays/prod/p.yaml', true],
    ['{base,overlays/prod}/*.yaml', 'overlays/dev/p.yaml', false],
    ['app-?.yaml', 'app-1.yaml', true],
    ['app-?.yaml', 'app-10.yaml', false],
    ['app-[0-9].yaml', 'app-7.yaml', true],
    ['app-[!0-9].yaml', 'app-7.yaml', false],
    ['app-[!0-9].yaml', 'app-x.yaml', true],
    ['a\\*b.yaml', 'a*b.yaml', true],
    ['a\\*b.yaml', 'axb.yaml', false],
    ['a.(b)+.yaml', 'a.(b)+.yaml', true],
    ['/abs/dir/*.yaml', '/abs/dir/x.yaml', true],
    ['/abs/dir/*.yaml', '/abs/other/x.yaml', false],
    ['[abc', '[abc', true],
  ];
  it.each(table)('%s vs %s → %s', (pattern, path, want) => {
    expect(globToRegExp(pattern).test(path)).toBe(want);
  });
});

describe('expandBraces', () => {
  it('expands nested and path-spanning alternatives, leaves lone braces', () => {
    expect(expandBraces('a/{b,c/{d,e}}.yaml')).toEqual(['a/b.yaml', 'a/c/d.yaml', 'a/c/e.yaml']);
    expect(expandBraces('x{y}z')).toEqual(['x{y}z']);
    expect(expandBraces('no-braces')).toEqual(['no-braces']);
    expect(expandBraces('\\{a,b}')).toEqual(['\\{a,b}']);
  });

  it('refuses a pattern that explodes', () => {
    expect(() => expandBraces('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}')).toThrow(/more than 1024/);
  });
});

describe('globBase and hasGlobMagic', () => {
  it('finds the literal directory to walk from', () => {
    expect(globBase('manifests/**/*.yaml')).toBe('manifests');
    expect(globBase('manifests/apps/*.yaml')).toBe('manifests/apps');
    expect(globBase('*.yaml')).toBe('.');
    expect(globBase('/abs/x/**')).toBe('/abs/x');
    expect(globBase('/*.yaml')).toBe('/');
  });

  it('knows patterns from paths', () => {
    expect(hasGlobMagic('a/*.yaml')).toBe(true);
    expect(hasGlobMagic('a/{b,c}')).toBe(true);
    expect(hasGlobMagic('a/b.yaml')).toBe(false);
    expect(hasGlobMagic('a/b\\*.yaml')).toBe(false);
  });
});
