import { oneMonthEarlier } from './calendar-month';
import { formatDuration, MS, parseDuration } from './duration';
import { inferSamplingStep, samplesIn } from './sampling-step';
import { seasonalSlot, slotCount } from './seasonal-slot';

describe('durations', () => {
  it('parses units and plain milliseconds', () => {
    expect(parseDuration('5m')).toBe(5 * MS.minute);
    expect(parseDuration('1.5h')).toBe(90 * MS.minute);
    expect(parseDuration('30d')).toBe(30 * MS.day);
    expect(parseDuration('1w')).toBe(MS.week);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration(0)).toBe(0);
    expect(() => parseDuration('3 fortnights')).toThrow(/invalid duration/);
    expect(() => parseDuration(-1)).toThrow(RangeError);
  });

  it('formats compactly', () => {
    expect(formatDuration(MS.day)).toBe('1d');
    expect(formatDuration(90 * MS.minute)).toBe('1.5h');
    expect(formatDuration(500)).toBe('500ms');
  });
});

describe('sampling step', () => {
  it('is the median positive gap, robust to outages and duplicate rows', () => {
    const fiveMinutes = [0, 5, 10, 10, 15, 80, 85, 90].map((m) => m * MS.minute);
    expect(inferSamplingStep(fiveMinutes)).toBe(5 * MS.minute);
    expect(inferSamplingStep([42])).toBe(MS.hour);
    expect(samplesIn(MS.day, 5 * MS.minute)).toBe(288);
    expect(samplesIn(MS.minute, MS.hour)).toBe(1);
  });
});

describe('seasonal slots', () => {
  it('places 5-minute-of-day slots from UTC midnight', () => {
    const layout = { periodMs: MS.day, slotMs: 5 * MS.minute, originMs: 0 };
    expect(slotCount(layout)).toBe(288);
    expect(seasonalSlot(Date.UTC(2024, 4, 2, 0, 0), layout)).toBe(0);
    expect(seasonalSlot(Date.UTC(2024, 4, 2, 23, 55), layout)).toBe(287);
    expect(seasonalSlot(Date.UTC(1969, 11, 31, 23, 55), layout)).toBe(287);
  });
});

describe('oneMonthEarlier', () => {
  it('keeps the wall-clock day and time, NaN when that day does not exist', () => {
    expect(oneMonthEarlier(Date.UTC(2024, 1, 1, 0))).toBe(Date.UTC(2024, 0, 1, 0));
    expect(oneMonthEarlier(Date.UTC(2024, 0, 15, 7, 30))).toBe(Date.UTC(2023, 11, 15, 7, 30));
    expect(oneMonthEarlier(Date.UTC(2024, 2, 31))).toBeNaN();
  });
});
