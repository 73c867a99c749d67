const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]00:?00)?$/;

/**
 * NAB timestamps (`2014-04-10 07:15:00` in data, `2014-04-10 07:15:00.000000` in labels) are
 * naive wall-clock times; they are read as UTC so that data and labels agree to the
 * millisecond and daily/weekly slots fall on UTC boundaries.
 */
export function parseNabTimestamp(text: string): number {
  const match = PATTERN.exec(text.trim());
  if (match === null) throw new RangeError(`unrecognised timestamp "${text}" (expected YYYY-MM-DD HH:MM[:SS[.ffffff]])`);
  const [, year, month, day, hour, minute, second, fraction] = match;
  const ms = fraction === undefined ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
  return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second ?? 0), ms);
}

/** The inverse, in NAB's data format (`YYYY-MM-DD HH:MM:SS`, UTC). */
export function formatNabTimestamp(timestampMs: number): string {
  return new Date(timestampMs).toISOString().slice(0, 19).replace('T', ' ');
}
