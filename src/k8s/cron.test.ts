import { describe, expect, it } from 'vitest';
import { cronScheduleError, durationError } from './cron.ts';

describe('cronScheduleError (robfig/cron/v3 ParseStandard)', () => {
  it.each([
    '* * * * *',
    '*/5 * * * *',
    '0 0 * * 0',
    '0 0 1,15 * *',
    '0 9-17/2 * * MON-FRI',
    '0 0 1 jan,jul ?',
    '30 2 * * sun',
    '5/15 * * * *',
    '@daily',
    '@hourly',
    '@every 1h30m',
    '@every 0',
    '0  0 *\t* *',
  ])('accepts %j', (s) => expect(cronScheduleError(s)).toBeNull());

  it.each([
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['0 0 0 * * *', 'expected exactly 5 fields, found 6: [0 0 0 * * *]'],
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['0 0 * JANUARY *', 'failed to parse int from JANUARY: strconv.Atoi: parsing "JANUARY": invalid syntax'],
    ['@weekdays', 'unrecognized descriptor: @weekdays'],
    ['@every 5x', 'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"'],
    ['@every 5', 'failed to parse duration @every 5: time: missing unit in duration "5"'],
  ])('rejects %j', (s, message) => expect(cronScheduleError(s)).toBe(message));
});

describe('durationError (time.ParseDuration)', () => {
  it.each(['1h', '1h30m', '1.5h', '.5s', '300ms', '-1m', '2h45m10.5s'])('accepts %s', (d) => expect(durationError(d)).toBeNull());
  it.each([
    ['', 'time: invalid duration ""'],
    ['h', 'time: invalid duration "h"'],
    ['.s', 'time: invalid duration ".s"'],
    ['1', 'time: missing unit in duration "1"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
  ])('rejects %j', (d, message) => expect(durationError(d)).toBe(message));
});
