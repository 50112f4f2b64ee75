import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobReader } from './blob-reader.ts';

let repo: string;
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, env: gitEnv, encoding: 'utf8' });

// Content that would confuse a line-based reader: LFs, a fake cat-file header, NUL bytes, and a blob larger than a pipe chunk.
const tricky = Buffer.concat([Buffer.from('line1\n0123456789012345678901234567890123456789 blob 5\n\0\0\n'), Buffer.alloc(3, 0xff)]);
const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0x41);
let bigOid: string;

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'kubeplan-blob-'));
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'a.yaml'), 'kind: A\n');
  writeFileSync(join(repo, 'tricky.bin'), tricky);
  writeFileSync(join(repo, 'big.yaml'), big);
  writeFileSync(join(repo, 'empty.yaml'), '');
  writeFileSync(join(repo, 'with space.yaml'), 'kind: Space\n');
  git('add', '.');
  git('commit', '-q', '-m', 'one');
  writeFileSync(join(repo, 'a.yaml'), 'kind: A2\n');
  git('add', 'a.yaml');
  writeFileSync(join(repo, 'a.yaml'), 'kind: A3 (worktree only)\n');
  bigOid = git('rev-parse', 'HEAD:big.yaml').trim();
});

afterAll(() => rmSync(repo, { recursive: true, force: true }));

const text = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('utf8'));

describe('BlobReader', () => {
  it('reads HEAD:path, :path (the index) and object ids through one process', async () => {
    const r = new BlobReader(repo);
    try {
      expect(text(await r.read('HEAD:a.yaml'))).toBe('kind: A\n');
      expect(text(await r.read(':a.yaml'))).toBe('kind: A2\n');
      const oid = git('rev-parse', ':a.yaml').trim();
      expect(text(await r.read(oid))).toBe('kind: A2\n');
      expect(text(await r.read('HEAD:with space.yaml'))).toBe('kind: Space\n');
      expect(await r.read('HEAD:empty.yaml')).toEqual(new Uint8Array(0));
    } finally {
      await r.close();
    }
  });

  it('returns exact bytes for binary content and blobs larger than a pipe buffer', async () => {
    const r = new BlobReader(repo);
    try {
      const [t, b] = await Promise.all([r.read('HEAD:tricky.bin'), r.read(bigOid)]);
      expect(Buffer.from(t!).equals(tricky)).toBe(true);
      expect(b!.byteLength).toBe(big.byteLength);
      expect(Buffer.from(b!).equals(big)).toBe(true);
    } finally {
      await r.close();
    }
  });

  it('missing objects and non-blobs are null; the reader keeps going after them', async () => {
    const r = new BlobReader(repo);
    try {
      expect(await r.read('HEAD:nope.yaml')).toBeNull();
      expect(await r.read('0000000000000000000000000000000000000000')).toBeNull();
      expect(await r.read('HEAD^{tree}')).toBeNull();
      expect((await r.readObject('HEAD'))?.type).toBe('commit');
      expect(text(await r.read('HEAD:a.yaml'))).toBe('kind: A\n');
    } finally {
      await r.close();
    }
  });

  it('pipelines many requests and answers each in order', async () => {
    const r = new BlobReader(repo);
    try {
      const specs = Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? 'HEAD:a.yaml' : i % 3 === 1 ? ':a.yaml' : 'HEAD:missing'));
      const single = await Promise.all(specs.map((s) => r.read(s)));
      expect(single.map(text)).toEqual(specs.map((s) => (s === 'HEAD:a.yaml' ? 'kind: A\n' : s === ':a.yaml' ? 'kind: A2\n' : null)));
      const many = await r.readMany(specs);
      expect(many.map((o) => (o ? text(o.bytes) : null))).toEqual(single.map(text));
    } finally {
      await r.close();
    }
  });

  it('skips objects over maxBytes without keeping them, and stays in step', async () => {
    const r = new BlobReader(repo, { maxBytes: 1024 });
    try {
      const [bigObj, small] = await r.readMany([bigOid, 'HEAD:a.yaml']);
      expect(bigObj).toMatchObject({ type: 'blob', size: big.byteLength, bytes: null });
      expect(text(small!.bytes)).toBe('kind: A\n');
      await expect(r.read(bigOid)).rejects.toThrow(/over the reader's limit/);
    } finally {
      await r.close();
    }
  });

  it('refuses specs with line breaks, and reads after close', async () => {
    const r = new BlobReader(repo);
    await expect(r.read('HEAD:a\nb')).rejects.toThrow(/line breaks/);
    await r.close();
    await r.close();
    await expect(r.read('HEAD:a.yaml')).rejects.toThrow(/closed/);
  });

  it('fails pending reads with git’s message when git cannot start there', async () => {
    const notRepo = mkdtempSync(join(tmpdir(), 'kubeplan-norepo-'));
    try {
      const r = new BlobReader(notRepo);
      await expect(r.read('HEAD:a.yaml')).rejects.toThrow(/not a git repository/);
      await r.close();
      // A read issued after git has already gone fails too, instead of waiting forever.
      const late = new BlobReader(notRepo);
      await new Promise((res) => setTimeout(res, 300));
      await expect(late.read('HEAD:a.yaml')).rejects.toThrow(/not a git repository/);
      await late.close();
    } finally {
      rmSync(notRepo, { recursive: true, force: true });
    }
  });

  it('fails cleanly when the git binary does not exist', async () => {
    const r = new BlobReader(repo, { git: 'git-that-does-not-exist' });
    await expect(r.read('HEAD:a.yaml')).rejects.toThrow(/cannot run git cat-file/);
    await r.close();
  });
});
