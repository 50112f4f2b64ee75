// No Secret value may leave kubeplan. Rules try not to quote values, but schema messages quote what they found
// ("expected string, got integer 5432"), so every finding about a Secret passes through here before any reporter.
import { getObject, groupOf, isObject } from '../core/objects.ts';
import type { Finding, JsonObject, Manifest } from '../core/types.ts';

export const REDACTED = '<redacted>';

/** Every form in which a Secret's values could appear in a message: as written, base64-decoded, base64-encoded. */
function secretValueForms(secret: JsonObject): string[] {
  const forms = new Set<string>();
  for (const field of ['data', 'stringData'] as const) {
    const map = getObject(secret, field);
    if (!map) continue;
    for (const value of Object.values(map)) {
      if (value === null || isObject(value) || Array.isArray(value)) continue;
      const text = String(value);
      if (text === '') continue;
      forms.add(text);
      if (field === 'data' && typeof value === 'string') {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        if (decoded !== '' && !decoded.includes('\uFFFD')) forms.add(decoded);
      } else {
        forms.add(Buffer.from(text).toString('base64'));
      }
    }
  }
  // Longest first, so a value that contains another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isSecret(object: JsonObject): boolean {
  return object.kind === 'Secret' && typeof object.apiVersion === 'string' && groupOf(object.apiVersion) === '';
}

/** Replace any Secret value quoted in a finding about that Secret (or any finding in its file) with <redacted>. */
export function redactSecretValues(findings: readonly Finding[], manifests: readonly Manifest[]): Finding[] {
  const formsByFile = new Map<string, string[]>();
  for (const m of manifests) {
    if (!isSecret(m.object)) continue;
    const forms = secretValueForms(m.object);
    if (forms.length > 0) formsByFile.set(m.file, [...(formsByFile.get(m.file) ?? []), ...forms]);
  }
  if (formsByFile.size === 0) return [...findings];
  const patterns = new Map<string, RegExp>();
  for (const [file, forms] of formsByFile) {
    // A value only counts where it stands alone, so "1" does not eat the 1 in "line 12".
    patterns.set(file, new RegExp(`(?<![A-Za-z0-9+/=_-])(?:${forms.map(escapeRegExp).join('|')})(?![A-Za-z0-9+/=_-])`, 'g'));
  }
  return findings.map((f) => {
    const pattern = patterns.get(f.file);
    if (!pattern) return f;
    const message = f.message.replace(pattern, REDACTED);
    return message === f.message ? f : { ...f, message };
  });
}
