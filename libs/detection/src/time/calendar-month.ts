/**
 * The same UTC wall-clock instant one calendar month earlier, or NaN when that day does not
 * exist (31 March has no 31 February): recurring monthly charges land on a day-of-month, so a
 * clamped guess would compare against the wrong day.
 */
export function oneMonthEarlier(timestampMs: number): number {
  const date = new Date(timestampMs);
  const day = date.getUTCDate();
  const shifted = Date.UTC(
    date.getUTCFullYear(),
    date.getUTCMonth() - 1,
    day,
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
    date.getUTCMilliseconds(),
  );
  return new Date(shifted).getUTCDate() === day ? shifted : Number.NaN;
}
