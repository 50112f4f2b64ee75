import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests, loadSources } from './index.ts';

let root: string;

function write(rel: string, text: string): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

async function paths(inputs: string[], cwd = root, stdin?: NodeJS.ReadableStream) {
  const r = await loadSources({ kind: 'paths', paths: inputs, cwd }, stdin ? { stdin } : {});
  if (!r.ok) throw new Error(r.error);
  return r;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kubeplan-fs-'));
  write('manifests/b.yaml', cm('b'));
  write('manifests/a.yml', cm('a'));
  write('manifests/sub/c.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
  write('manifests/sub/deeper/d.YAML', cm('d'));
  write('manifests/README.md', '# not a manifest\n');
  write('manifests/.hidden.yaml', cm('hidden'));
  write('manifests/.github/workflows/ci.yml', 'on: push\n');
  write('manifests/node_modules/pkg/x.yaml', cm('nm'));
  write('manifests/.git/config.yaml', cm('git'));
  write('other/e.yaml', cm('e'));
  write('notes.txt', cm('txt'));
  write('space dir/ü.yaml', cm('unicode'));
  // A symbolic link loop and a link to a file elsewhere.
  symlinkSync('..', join(root, 'manifests/sub/loop'));
  symlinkSync(join(root, 'other/e.yaml'), join(root, 'manifests/linked.yaml'));
  mkdirSync(join(root, 'empty'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('paths', () => {
  it('walks directories recursively for .yaml/.yml/.json, skipping .git, node_modules and dot-names, sorted', async () => {
    const r = await paths(['manifests']);
    expect(r.files.map((f) => f.path)).toEqual(['manifests/a.yml', 'manifests/b.yaml', 'manifests/linked.yaml', 'manifests/sub/c.json', 'manifests/sub/deeper/d.YAML']);
    expect(r.reportOn).toBeNull();
    expect(r.findings).toEqual([]);
  });

  it('follows symbolic links but ends link loops', async () => {
    // manifests/sub/loop → manifests: each directory is walked once.
    const r = await paths(['manifests/sub']);
    expect(r.files.map((f) => f.path)).toEqual(['manifests/sub/c.json', 'manifests/sub/deeper/d.YAML', 'manifests/sub/loop/a.yml', 'manifests/sub/loop/b.yaml', 'manifests/sub/loop/linked.yaml']);
  });

  it('reads an explicitly named file whatever its extension, and an explicitly named dot-directory', async () => {
    expect((await paths(['notes.txt'])).files.map((f) => f.path)).toEqual(['notes.txt']);
    expect((await paths(['manifests/.github'])).files.map((f) => f.path)).toEqual(['manifests/.github/workflows/ci.yml']);
  });

  it('shows paths relative to cwd with POSIX separators, also outside it', async () => {
    const r = await paths(['../other/e.yaml', join(root, 'manifests/b.yaml'), '../space dir'], join(root, 'manifests'));
    expect(r.files.map((f) => f.path)).toEqual(['../other/e.yaml', '../space dir/ü.yaml', 'b.yaml']);
  });

  it('loads a file named twice (or through a file and its directory) once', async () => {
    const r = await paths(['other', 'other/e.yaml', './other/../other/e.yaml']);
    expect(r.files.map((f) => f.path)).toEqual(['other/e.yaml']);
  });

  it('an empty directory is fine and gives nothing', async () => {
    expect((await paths(['empty'])).files).toEqual([]);
  });

  it('a missing path is a usage error naming every missing path', async () => {
    const r = await loadSources({ kind: 'paths', paths: ['manifests', 'nope.yaml', 'gone/'], cwd: root });
    expect(r).toEqual({ ok: false, error: 'path not found: nope.yaml; path not found: gone/' });
  });

  it('a broken symbolic link is a finding, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-fs-broken-'));
    try {
      symlinkSync(join(dir, 'missing-target.yaml'), join(dir, 'broken.yaml'));
      writeFileSync(join(dir, 'ok.yaml'), cm('ok'));
      const r = await paths([dir], dir);
      expect(r.files.map((f) => f.path)).toEqual(['ok.yaml']);
      expect(r.findings).toMatchObject([{ file: 'broken.yaml', line: 1, column: 1, rule: 'file-unreadable', message: expect.stringMatching(/broken symbolic link/) }]);
      // Named explicitly, too.
      expect((await paths(['broken.yaml'], dir)).findings).toMatchObject([{ file: 'broken.yaml', rule: 'file-unreadable' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file is a finding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-fs-perm-'));
    try {
      writeFileSync(join(dir, 'secret.yaml'), cm('s'));
      chmodSync(join(dir, 'secret.yaml'), 0o000);
      const r = await paths(['secret.yaml'], dir);
      expect(r.files).toEqual([]);
      expect(r.findings).toMatchObject([{ file: 'secret.yaml', rule: 'file-unreadable', message: 'cannot read secret.yaml: permission denied' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file over the size limit is a finding and is not read', async () => {
    const r = await loadSources({ kind: 'paths', paths: ['manifests/b.yaml', 'other/e.yaml'], cwd: root }, { maxFileBytes: 40 });
    expect(r.ok && r.files).toEqual([]);
    expect(r.ok && r.findings.map((f) => [f.file, f.rule, f.message])).toEqual([
      ['manifests/b.yaml', 'file-too-large', 'file is 51 bytes, over the 40 bytes limit for one manifest file'],
      ['other/e.yaml', 'file-too-large', 'file is 51 bytes, over the 40 bytes limit for one manifest file'],
    ]);
  });
});

describe('globs', () => {
  it('expands a quoted ** glob, sorted, skipping dot-names and node_modules', async () => {
    const r = await paths(['manifests/**/*.yaml']);
    expect(r.files.map((f) => f.path)).toEqual(['manifests/b.yaml', 'manifests/linked.yaml']);
    const all = await paths(['**/*.{yaml,yml,json}']);
    // manifests/sub/loop leads back to manifests/, already walked: each directory is visited once.
    expect(all.files.map((f) => f.path)).toEqual(['manifests/a.yml', 'manifests/b.yaml', 'manifests/linked.yaml', 'manifests/sub/c.json', 'other/e.yaml', 'space dir/ü.yaml']);
  });

  it('a glob takes what it matches whatever the extension; a spelled dot matches dot-names', async () => {
    expect((await paths(['manifests/*.md'])).files.map((f) => f.path)).toEqual(['manifests/README.md']);
    expect((await paths(['manifests/.*.yaml'])).files.map((f) => f.path)).toEqual(['manifests/.hidden.yaml']);
  });

  it('a glob that matches nothing is a usage error', async () => {
    expect(await loadSources({ kind: 'paths', paths: ['manifests/*.toml'], cwd: root })).toEqual({ ok: false, error: 'no files match manifests/*.toml' });
    expect(await loadSources({ kind: 'paths', paths: ['nowhere/**/*.yaml'], cwd: root })).toEqual({ ok: false, error: 'no files match nowhere/**/*.yaml' });
  });

  it('an absolute glob works and shows cwd-relative paths', async () => {
    expect((await paths([join(root, 'other/*.yaml')])).files.map((f) => f.path)).toEqual(['other/e.yaml']);
  });
});

describe('stdin', () => {
  it('reads - fully, shown as "-"', async () => {
    const stdin = Readable.from([Buffer.from('apiVersion: v1\nkind: A\n---\n'), Buffer.from('apiVersion: v1\nkind: B\n')]);
    const r = await loadManifests({ kind: 'paths', paths: ['-', 'other/e.yaml'], cwd: root }, { stdin });
    expect(r.ok && r.files.map((f) => f.path)).toEqual(['-', 'other/e.yaml']);
    expect(r.ok && r.manifests.map((m) => [m.file, m.object.kind])).toEqual([
      ['-', 'A'],
      ['-', 'B'],
      ['other/e.yaml', 'ConfigMap'],
    ]);
  });

  it('stops reading stdin past the size limit and reports it', async () => {
    let pushed = 0;
    // An endless stream: the loader must stop, not read forever.
    const endless = new Readable({
      read() {
        pushed++;
        this.push(Buffer.alloc(1024, 0x61));
      },
    });
    const r = await loadSources({ kind: 'paths', paths: ['-'], cwd: root }, { stdin: endless, maxFileBytes: 10_000 });
    expect(r.ok && r.files).toEqual([]);
    expect(r.ok && r.findings).toMatchObject([{ file: '-', rule: 'file-too-large', message: 'standard input is over the 9.8 KiB limit for one manifest file' }]);
    expect(pushed).toBeLessThan(50);
  });

  it('reads a named pipe (as from <(helm template …))', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-fifo-'));
    try {
      const fifo = join(dir, 'rendered');
      execFileSync('mkfifo', [fifo]);
      const writer = spawn('sh', ['-c', `printf 'apiVersion: v1\\nkind: FromPipe\\n' > "${fifo}"`]);
      const done = new Promise((res) => writer.on('close', res));
      const r = await loadManifests({ kind: 'paths', paths: [fifo], cwd: dir });
      expect(r.ok && r.manifests.map((m) => [m.file, m.object.kind])).toEqual([['rendered', 'FromPipe']]);
      await done;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loadManifests over paths', () => {
  it('parses every file in order and keeps parse findings with their files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeplan-lm-'));
    try {
      writeFileSync(join(dir, 'b.yaml'), 'apiVersion: v1\nkind: B\nmetadata: {name: b}\n---\napiVersion: v1\nkind: C\n');
      writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: A\nx: 1\nx: 2\n');
      writeFileSync(join(dir, 'bin.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0x00]));
      const r = await loadManifests({ kind: 'paths', paths: ['.'], cwd: dir });
      if (!r.ok) throw new Error(r.error);
      expect(r.files.map((f) => f.path)).toEqual(['a.yaml', 'b.yaml', 'bin.yaml']);
      expect(r.manifests.map((m) => `${m.file}#${m.docIndex}:${String(m.object.kind)}`)).toEqual(['b.yaml#0:B', 'b.yaml#1:C']);
      expect(r.findings.map((f) => [f.file, f.line, f.column, f.rule])).toEqual([
        ['a.yaml', 4, 1, 'yaml-syntax'],
        ['bin.yaml', 1, 4, 'file-encoding'],
      ]);
      expect(r.reportOn).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
