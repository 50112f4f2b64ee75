import { fastLoad } from './src/manifests/fast-load.ts';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
const files: string[] = [];
const walk = (d: string) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name); if (e.isDirectory()) walk(p); else files.push(p); } };
walk(process.argv[2]);
const texts = files.map((f) => readFileSync(f, 'utf8'));
let t0 = performance.now();
const docs = texts.map((t) => fastLoad(t));
console.log('parse', (performance.now() - t0).toFixed(0));
for (const big of [false, true]) {
  const sel = docs.filter((_, i) => (texts[i]!.length > 500_000) === big);
  t0 = performance.now();
  const ser = sel.map((d) => v8.serialize(d));
  const t1 = performance.now();
  sel.forEach((_, i) => v8.deserialize(ser[i]!));
  const t2 = performance.now();
  const js = sel.map((d) => JSON.stringify(d));
  const t3 = performance.now();
  js.forEach((s) => JSON.parse(s));
  const t4 = performance.now();
  console.log(big ? 'big files' : 'small files', sel.length, 'v8 ser', (t1 - t0).toFixed(0), 'deser', (t2 - t1).toFixed(0), 'json str', (t3 - t2).toFixed(0), 'parse', (t4 - t3).toFixed(0), 'MB', (js.reduce((a, s) => a + s.length, 0) / 1e6).toFixed(1));
}
