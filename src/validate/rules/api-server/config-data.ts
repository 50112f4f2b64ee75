import { getObject, isObject } from '../../../core/objects.ts';
import type { JsonObject, JsonValue } from '../../../core/types.ts';
import { isConfigMapKey } from '../../../k8s/names.ts';
import { FieldPath, invalid, required, tooLong } from './field.ts';
import { apiServerRule, entriesOf, is, type Reporter } from './util.ts';

export const help = `# config-data

**ConfigMap and Secret contents the API server rejects.**

- Keys of \`data\`, \`binaryData\` and \`stringData\` consist of alphanumerics, \`-\`, \`_\` and \`.\` (at most 253
  characters, not \`.\` or \`..\` or starting with \`..\`): a file name, not a path.
- A ConfigMap key may not appear in both \`data\` and \`binaryData\`.
- All values together may not exceed 1 MiB (1048576 bytes, base64 decoded).
- Typed Secrets carry the keys their type requires (from \`data\` or \`stringData\`):

| type | required |
|---|---|
| \`kubernetes.io/tls\` | \`tls.crt\` and \`tls.key\` |
| \`kubernetes.io/dockerconfigjson\` | \`.dockerconfigjson\`, holding JSON |
| \`kubernetes.io/dockercfg\` | \`.dockercfg\`, holding JSON |
| \`kubernetes.io/basic-auth\` | \`username\` or \`password\` |
| \`kubernetes.io/ssh-auth\` | a non-empty \`ssh-privatekey\` |
| \`kubernetes.io/service-account-token\` | the \`kubernetes.io/service-account.name\` annotation |

## Example

\`\`\`yaml
kind: Secret
type: kubernetes.io/tls
data:
  tls.crt: LS0t…      # data[tls.key]: Required value
  config/app.yaml: …  # data[config/app.yaml]: Invalid value: "config/app.yaml": a valid config key must consist of …
\`\`\`
`;

const MAX_SIZE = 1024 * 1024;

interface Sized {
  value: string;
  encoding: 'utf8' | 'base64';
}

/**
 * The total size of the values (base64 ones decoded) when it may exceed MAX_SIZE, else undefined. Bounds from the
 * string lengths first (UTF-8 takes at most 3 bytes per UTF-16 unit; base64 decodes to at most 3/4 of its length):
 * exact sizes mean flattening and decoding every value, and Grafana dashboards make ConfigMaps of megabytes.
 */
function sizeIfTooLarge(values: readonly Sized[]): number | undefined {
  let bound = 0;
  for (const { value, encoding } of values) bound += encoding === 'utf8' ? value.length * 3 : Math.ceil((value.length * 3) / 4);
  if (bound <= MAX_SIZE) return undefined;
  let total = 0;
  for (const { value, encoding } of values) total += encoding === 'utf8' ? Buffer.byteLength(value, 'utf8') : Buffer.from(value, 'base64').length;
  return total > MAX_SIZE ? total : undefined;
}

function checkKeys(map: JsonValue | undefined, path: FieldPath, report: Reporter): void {
  for (const [key] of entriesOf(map)) for (const msg of isConfigMapKey(key)) report(path.key(key), invalid(path.key(key), key, msg), { target: 'key' });
}

function decoded(secret: JsonObject, key: string): string | undefined {
  const sd = getObject(secret, 'stringData')?.[key];
  if (typeof sd === 'string') return sd;
  const d = getObject(secret, 'data')?.[key];
  return typeof d === 'string' ? Buffer.from(d, 'base64').toString('utf8') : undefined;
}

function checkSecret(secret: JsonObject, report: Reporter): void {
  const dp = FieldPath.root().child('data');
  checkKeys(secret.data, dp, report);
  checkKeys(secret.stringData, FieldPath.root().child('stringData'), report);
  const sized: Sized[] = [];
  const keys = new Set<string>();
  for (const [k, v] of entriesOf(secret.data)) {
    keys.add(k);
    if (typeof v === 'string' && !(isObject(secret.stringData) && k in secret.stringData)) sized.push({ value: v, encoding: 'base64' });
  }
  for (const [k, v] of entriesOf(secret.stringData)) {
    keys.add(k);
    if (typeof v === 'string') sized.push({ value: v, encoding: 'utf8' });
  }
  const total = sizeIfTooLarge(sized);
  if (total !== undefined) report(dp, `${tooLong(dp, MAX_SIZE)} (the values total ${total} bytes)`, { target: 'key' });

  const where = isObject(secret.data) ? dp : isObject(secret.stringData) ? FieldPath.root().child('stringData') : FieldPath.root().child('type');
  const need = (key: string): void => {
    if (!keys.has(key)) report(where, required(dp.key(key)), { target: 'key' });
  };
  const json = (key: string): void => {
    if (!keys.has(key)) return need(key);
    const text = decoded(secret, key);
    if (text === undefined) return;
    try {
      JSON.parse(text);
    } catch (err) {
      report(dp.pointing(key), invalid(dp.key(key), '<secret contents redacted>', `not valid JSON: ${err instanceof Error ? err.message : String(err)}`));
    }
  };
  switch (secret.type) {
    case 'kubernetes.io/tls':
      need('tls.crt');
      need('tls.key');
      break;
    case 'kubernetes.io/dockerconfigjson':
      json('.dockerconfigjson');
      break;
    case 'kubernetes.io/dockercfg':
      json('.dockercfg');
      break;
    case 'kubernetes.io/basic-auth':
      if (!keys.has('username') && !keys.has('password')) {
        need('username');
        need('password');
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!decoded(secret, 'ssh-privatekey')) report(where, required(dp.key('ssh-privatekey')), { target: 'key' });
      break;
    case 'kubernetes.io/service-account-token': {
      const name = getObject(getObject(secret, 'metadata'), 'annotations')?.['kubernetes.io/service-account.name'];
      if (typeof name !== 'string' || name === '') {
        const ap = FieldPath.root().child('metadata', 'annotations').key('kubernetes.io/service-account.name');
        report(ap, required(ap));
      }
      break;
    }
  }
}

function checkConfigMap(cm: JsonObject, report: Reporter): void {
  const dp = FieldPath.root().child('data');
  const bp = FieldPath.root().child('binaryData');
  checkKeys(cm.data, dp, report);
  checkKeys(cm.binaryData, bp, report);
  const sized: Sized[] = [];
  for (const [k, v] of entriesOf(cm.data)) {
    if (isObject(cm.binaryData) && k in cm.binaryData) report(dp.key(k), invalid(dp.key(k), k, 'duplicate of key present in binaryData'), { target: 'key' });
    if (typeof v === 'string') sized.push({ value: v, encoding: 'utf8' });
  }
  for (const [, v] of entriesOf(cm.binaryData)) if (typeof v === 'string') sized.push({ value: v, encoding: 'base64' });
  const total = sizeIfTooLarge(sized);
  if (total !== undefined) report(dp, `${tooLong(FieldPath.root(), MAX_SIZE)} (the values total ${total} bytes)`.replace(/^: /, ''), { target: 'key' });
}

export const configData = apiServerRule('config-data', 'ConfigMap and Secret keys, sizes and type-specific keys are what the API server accepts.', help, (info, report) => {
  if (is(info, 'Secret', '')) checkSecret(info.object, report);
  if (is(info, 'ConfigMap', '')) checkConfigMap(info.object, report);
});
