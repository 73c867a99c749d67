import { MS } from '@costwatch/contracts';

/** One calendar day of a provider, as "YYYYMMDD" and the instants it covers. */
export interface CalendarDay {
  ymd: string;
  start: Date;
  end: Date;
}

/** "+09:00" → 540, "Z" → 0. */
export function utcOffsetMinutes(offset: string): number {
  if (offset === 'Z') return 0;
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(offset);
  if (match === null) throw new Error(`invalid UTC offset "${offset}" (expected "Z" or "+HH:MM")`);
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** YYYYMMDD of an instant's UTC calendar date. */
export function utcYmd(instant: Date): string {
  return `${pad(instant.getUTCFullYear(), 4)}${pad(instant.getUTCMonth() + 1)}${pad(instant.getUTCDate())}`;
}

/** The days (in a fixed UTC offset) whose start lies in [from, to). */
export function daysStartingIn(window: { from: Date; to: Date }, offsetMinutes: number): CalendarDay[] {
  const offsetMs = offsetMinutes * 60_000;
  const local = new Date(window.from.getTime() + offsetMs);
  let startMs = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - offsetMs;
  if (startMs < window.from.getTime()) startMs += MS.day;
  const days: CalendarDay[] = [];
  for (; startMs < window.to.getTime(); startMs += MS.day) {
    days.push({ ymd: utcYmd(new Date(startMs + offsetMs)), start: new Date(startMs), end: new Date(startMs + MS.day) });
  }
  return days;
}
