import { QuietScheduleError, isQuiet, isValidTimeZone, parseQuietDays, parseQuietHours, wallClock, type QuietSchedule } from './quiet-hours';

const at = (iso: string) => Date.parse(iso);

describe('parseQuietHours', () => {
  it('parses a range, wrapping midnight or not', () => {
    expect(parseQuietHours('22:00-07:00')).toEqual({ start: 22 * 60, end: 7 * 60 });
    expect(parseQuietHours(' 9:30 - 12:15 ')).toEqual({ start: 9 * 60 + 30, end: 12 * 60 + 15 });
    expect(parseQuietHours('00:00-23:59')).toEqual({ start: 0, end: 23 * 60 + 59 });
  });

  it.each(['22:00', '22:00-07:00-08:00', '24:00-07:00', '22:60-07:00', '10pm-7am', '08:00-08:00'])('rejects %s', (text) => {
    expect(() => parseQuietHours(text)).toThrow(QuietScheduleError);
  });
});

describe('parseQuietDays', () => {
  it('accepts short and full names in any case', () => {
    expect([...parseQuietDays('Sat,Sun')]).toEqual(['Sat', 'Sun']);
    expect([...parseQuietDays('saturday, SUNDAY ,mon')]).toEqual(['Sat', 'Sun', 'Mon']);
    expect(parseQuietDays('').size).toBe(0);
  });

  it.each(['Sa', 'Funday', 'Sat;Sun'])('rejects %s', (text) => {
    expect(() => parseQuietDays(text)).toThrow(/not a day of the week/);
  });
});

describe('isQuiet', () => {
  const seoulNights: QuietSchedule = { timeZone: 'Asia/Seoul', hours: parseQuietHours('22:00-07:00'), days: new Set() };

  it.each([
    ['2026-11-02T12:59:00Z', false], // 21:59 in Seoul (UTC+9)
    ['2026-11-02T13:00:00Z', true], // 22:00
    ['2026-11-02T17:00:00Z', true], // 02:00
    ['2026-11-02T21:59:00Z', true], // 06:59
    ['2026-11-02T22:00:00Z', false], // 07:00: the end is exclusive
    ['2026-11-03T03:00:00Z', false], // noon
  ])('a night range in Asia/Seoul at %s is quiet: %s', (iso, expected) => {
    expect(isQuiet(seoulNights, at(iso))).toBe(expected);
  });

  it('a daytime range does not wrap', () => {
    const lunch: QuietSchedule = { timeZone: 'UTC', hours: parseQuietHours('12:00-13:00'), days: new Set() };
    expect(isQuiet(lunch, at('2026-11-02T12:30:00Z'))).toBe(true);
    expect(isQuiet(lunch, at('2026-11-02T13:00:00Z'))).toBe(false);
    expect(isQuiet(lunch, at('2026-11-02T02:00:00Z'))).toBe(false);
  });

  it('quiet days cover the whole local day, judged in the configured zone', () => {
    const weekend: QuietSchedule = { timeZone: 'Asia/Seoul', days: parseQuietDays('Sat,Sun') };
    // Friday 2026-11-06 15:00Z is Saturday 00:00 in Seoul.
    expect(isQuiet(weekend, at('2026-11-06T14:59:00Z'))).toBe(false);
    expect(isQuiet(weekend, at('2026-11-06T15:00:00Z'))).toBe(true);
    // Sunday 2026-11-08 14:59Z is Sunday 23:59 in Seoul; a minute later it is Monday.
    expect(isQuiet(weekend, at('2026-11-08T14:59:00Z'))).toBe(true);
    expect(isQuiet(weekend, at('2026-11-08T15:00:00Z'))).toBe(false);
  });

  it('follows daylight-saving time', () => {
    const ny: QuietSchedule = { timeZone: 'America/New_York', hours: parseQuietHours('22:00-07:00'), days: new Set() };
    // 02:30Z is 22:30 EDT (UTC-4) in October but 21:30 EST (UTC-5) after the November switch.
    expect(isQuiet(ny, at('2026-10-15T02:30:00Z'))).toBe(true);
    expect(isQuiet(ny, at('2026-11-15T02:30:00Z'))).toBe(false);
  });

  it('an empty schedule is never quiet', () => {
    expect(isQuiet({ timeZone: 'UTC', days: new Set() }, at('2026-11-08T03:00:00Z'))).toBe(false);
  });

  it('reads midnight as minute 0, not 24:00', () => {
    expect(wallClock(at('2026-11-02T00:00:00Z'), 'UTC')).toEqual({ weekday: 'Mon', minutes: 0 });
    expect(wallClock(at('2026-11-02T00:00:00Z'), 'Asia/Seoul')).toEqual({ weekday: 'Mon', minutes: 9 * 60 });
  });

  it('validates time zones', () => {
    expect(isValidTimeZone('Asia/Seoul')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
