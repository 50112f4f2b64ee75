// Secret values never leave the planner: a changed Secret shows which keys changed and that the
// values differ, in the human diff and in the RFC 6902 patch alike.
import { isObject } from '../core/objects.ts';
import type { JsonValue } from '../core/types.ts';
import type { FieldChange, Operation } from './types.ts';

export const REDACTED = '(sensitive value)';

const SENSITIVE_FIELDS = ['data', 'stringData'];

function isSensitivePointer(pointer: string): boolean {
  return SENSITIVE_FIELDS.some((f) => pointer === `/${f}` || pointer.startsWith(`/${f}/`));
}

/** Replace every value under data/stringData (or the whole value when the pointer is inside them). */
function redactValue(pointer: string, value: JsonValue | undefined): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (pointer === '') {
    if (!isObject(value)) return REDACTED;
    const out: Record<string, JsonValue> = { ...value };
    for (const f of SENSITIVE_FIELDS) if (out[f] !== undefined) out[f] = redactMap(out[f] as JsonValue);
    return out;
  }
  if (SENSITIVE_FIELDS.some((f) => pointer === `/${f}`)) return redactMap(value);
  return REDACTED;
}

function redactMap(v: JsonValue): JsonValue {
  if (!isObject(v)) return REDACTED;
  return Object.fromEntries(Object.keys(v).map((k) => [k, REDACTED]));
}

export function redactSecretChanges(changes: FieldChange[]): FieldChange[] {
  return changes.map((c) => {
    if (c.pointer !== '' && !isSensitivePointer(c.pointer)) return c;
    const out: FieldChange = { ...c, sensitive: true };
    if (c.before !== undefined) out.before = redactValue(c.pointer, c.before);
    if (c.after !== undefined) out.after = redactValue(c.pointer, c.after);
    if (c.op === 'replace' && c.pointer !== '') out.note = 'value changed';
    return out;
  });
}

export function redactSecretOps(ops: Operation[]): Operation[] {
  return ops.map((op) => {
    if ((op.op === 'add' || op.op === 'replace' || op.op === 'test') && (op.path === '' || isSensitivePointer(op.path))) {
      return { ...op, value: redactValue(op.path, op.value as JsonValue) };
    }
    return op;
  });
}
