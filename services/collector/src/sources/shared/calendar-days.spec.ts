import { daysStartingIn, utcOffsetMinutes, utcYmd } from './calendar-days';

describe('calendar days', () => {
  it('parses UTC offsets', () => {
    expect(utcOffsetMinutes('Z')).toBe(0);
    expect(utcOffsetMinutes('+09:00')).toBe(540);
    expect(utcOffsetMinutes('-03:30')).toBe(-210);
    expect(() => utcOffsetMinutes('KST')).toThrow(/invalid UTC offset/);
  });

  it('lists the UTC days starting in a window', () => {
    const days = daysStartingIn({ from: new Date('2025-12-21T00:00:00Z'), to: new Date('2025-12-23T00:00:00Z') }, 0);
    expect(days.map((d) => [d.ymd, d.start.toISOString(), d.end.toISOString()])).toEqual([
      ['20251221', '2025-12-21T00:00:00.000Z', '2025-12-22T00:00:00.000Z'],
      ['20251222', '2025-12-22T00:00:00.000Z', '2025-12-23T00:00:00.000Z'],
    ]);
  });

  it('skips a day that started before the window, and handles a fixed offset', () => {
    expect(daysStartingIn({ from: new Date('2025-12-21T06:00:00Z'), to: new Date('2025-12-22T06:00:00Z') }, 0).map((d) => d.ymd)).toEqual(['20251222']);
    expect(daysStartingIn({ from: new Date('2025-12-20T15:00:00Z'), to: new Date('2025-12-21T15:00:00Z') }, 540).map((d) => d.ymd)).toEqual(['20251221']);
    expect(daysStartingIn({ from: new Date('2025-12-21T00:00:00Z'), to: new Date('2025-12-21T00:00:00Z') }, 0)).toEqual([]);
  });

  it('formats YYYYMMDD', () => {
    expect(utcYmd(new Date('2025-01-05T23:59:59Z'))).toBe('20250105');
  });
});
