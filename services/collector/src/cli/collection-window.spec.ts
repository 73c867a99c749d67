import { parseInstant, windowFromOptions } from './collection-window';

describe('collection window options', () => {
  it('reads --date as one UTC day and --from/--to as inclusive days', () => {
    expect(windowFromOptions({ date: '20260301' }, 'HOURLY')).toEqual({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-02T00:00:00Z'), granularity: 'HOURLY' });
    expect(windowFromOptions({ from: '2026-02-27', to: '20260301' }, 'DAILY').to).toEqual(new Date('2026-03-02T00:00:00Z'));
  });

  it('rejects mixed, missing and reversed ranges', () => {
    expect(() => windowFromOptions({ date: '20260301', from: '20260301' }, 'HOURLY')).toThrow(/either --date or --from/);
    expect(() => windowFromOptions({ from: '20260301' }, 'HOURLY')).toThrow(/both --from and --to/);
    expect(() => windowFromOptions({ from: '20260302', to: '20260301' }, 'HOURLY')).toThrow(/--to must not be before --from/);
  });
});

describe('parseInstant (reset-group --to)', () => {
  it('accepts ISO 8601 instants with a zone and plain days', () => {
    expect(parseInstant('2026-01-01T09:00:00+09:00')).toEqual(new Date('2026-01-01T00:00:00Z'));
    expect(parseInstant('2026-01-01T00:30:00Z')).toEqual(new Date('2026-01-01T00:30:00Z'));
    expect(parseInstant('20260101')).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('rejects a time without a zone, which would depend on the machine', () => {
    expect(() => parseInstant('2026-01-01T00:00:00')).toThrow(/with a zone/);
    expect(() => parseInstant('yesterday')).toThrow(/not a time/);
  });
});
