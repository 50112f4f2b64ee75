// The `format`s kubeplan asserts, with the API server's semantics (Go decoding for native types, kube-openapi strfmt
// for CRDs). Where the Go behaviour is hard to match exactly, the check is the more permissive one: a format must
// never reject what the server accepts. Any format not listed here is dropped by the converter (an annotation).

import { isIPv4, isIPv6 } from 'node:net';

export interface FormatDef {
  type: 'string' | 'number';
  validate: (value: never) => boolean;
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** RFC 3339, leniently: strfmt also accepts a missing offset and a space separator; a bare date is still rejected. */
const dateTime = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)?$/;
const date = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** Go time.ParseDuration ("1h30m", "-1.5s") or the strfmt/Scala forms ("5 minutes", "2w", "3d"). */
const duration = /^\s*[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)\s*[A-Za-zµμ]+\s*)+$|^\s*[-+]?0\s*$/;
const mac = /^(?:[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5,19}|[0-9A-Fa-f]{4}(?:\.[0-9A-Fa-f]{4}){2,9})$/;
const uuid = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid3 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const uuid4 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const uuid5 = /^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}$/i;
const bson = /^[0-9a-fA-F]{24}$/;

function cidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return false;
  const n = Number(bits);
  if (isIPv4(ip)) return n <= 32;
  return isIPv6(ip) && n <= 128;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export const formats: Record<string, FormatDef> = {
  int32: { type: 'number', validate: (n: number) => !Number.isInteger(n) || (n >= INT32_MIN && n <= INT32_MAX) },
  // Every integer a JS number can hold fits int64; beyond 2^63 precision is already lost in the YAML parser.
  int64: { type: 'number', validate: (n: number) => !Number.isInteger(n) || Math.abs(n) <= 2 ** 63 },
  // Go's base64 decoder skips line breaks.
  byte: { type: 'string', validate: (s: string) => base64.test(s.includes('\n') || s.includes('\r') ? s.replace(/[\r\n]/g, '') : s) },
  'date-time': { type: 'string', validate: (s: string) => dateTime.test(s) },
  datetime: { type: 'string', validate: (s: string) => dateTime.test(s) },
  date: { type: 'string', validate: (s: string) => date.test(s) },
  duration: { type: 'string', validate: (s: string) => duration.test(s) },
  ipv4: { type: 'string', validate: (s: string) => isIPv4(s) },
  ipv6: { type: 'string', validate: (s: string) => isIPv6(s) && !s.includes('%') },
  cidr: { type: 'string', validate: cidr },
  mac: { type: 'string', validate: (s: string) => mac.test(s) },
  uuid: { type: 'string', validate: (s: string) => uuid.test(s) },
  uuid3: { type: 'string', validate: (s: string) => uuid3.test(s) },
  uuid4: { type: 'string', validate: (s: string) => uuid4.test(s) },
  uuid5: { type: 'string', validate: (s: string) => uuid5.test(s) },
  bsonobjectid: { type: 'string', validate: (s: string) => bson.test(s) },
};

/** How each format is described in messages ("expected a date-time (RFC 3339)"). */
export const formatDescriptions: Record<string, string> = {
  int32: 'a 32-bit integer',
  int64: 'a 64-bit integer',
  byte: 'base64-encoded data',
  'date-time': 'an RFC 3339 date-time such as "2024-01-31T12:00:00Z"',
  datetime: 'an RFC 3339 date-time such as "2024-01-31T12:00:00Z"',
  date: 'a date such as "2024-01-31"',
  duration: 'a duration such as "30s" or "1h30m"',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  cidr: 'a CIDR such as "10.0.0.0/8"',
  mac: 'a MAC address',
  uuid: 'a UUID',
  uuid3: 'a version 3 UUID',
  uuid4: 'a version 4 UUID',
  uuid5: 'a version 5 UUID',
  bsonobjectid: 'a BSON object id (24 hex digits)',
};
