/**
 * Quiet hours and quiet days, judged on the wall clock of a configured IANA time zone
 * (daylight-saving changes included) with the built-in Intl API.
 */
export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface QuietHours {
  /** Minutes after local midnight, inclusive. */
  start: number;
  /** Minutes after local midnight, exclusive. When `end < start` the range wraps midnight. */
  end: number;
}

export interface QuietSchedule {
  timeZone: string;
  hours?: QuietHours;
  days: ReadonlySet<Weekday>;
}

export class QuietScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuietScheduleError';
  }
}

const CLOCK = /^([01]?\d|2[0-3]):([0-5]\d)$/;

function minutesOf(text: string): number {
  const match = CLOCK.exec(text.trim());
  if (!match) throw new QuietScheduleError(`"${text.trim()}" is not a time of day (HH:MM, 00:00–23:59)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Parses "22:00-07:00" (wraps midnight) or "12:00-13:30". */
export function parseQuietHours(text: string): QuietHours {
  const parts = text.split('-');
  if (parts.length !== 2) throw new QuietScheduleError(`"${text}" must look like "22:00-07:00"`);
  const start = minutesOf(parts[0] ?? '');
  const end = minutesOf(parts[1] ?? '');
  if (start === end) throw new QuietScheduleError(`"${text}" starts and ends at the same time; list whole days in the quiet days instead`);
  return { start, end };
}

const FULL_NAMES: Readonly<Record<Weekday, string>> = {
  Sun: 'sunday',
  Mon: 'monday',
  Tue: 'tuesday',
  Wed: 'wednesday',
  Thu: 'thursday',
  Fri: 'friday',
  Sat: 'saturday',
};

/** Parses "Sat,Sun" (three-letter or full English day names, any case). */
export function parseQuietDays(text: string): Set<Weekday> {
  const days = new Set<Weekday>();
  for (const raw of text.split(',').map((part) => part.trim()).filter((part) => part.length > 0)) {
    const day = WEEKDAYS.find((name) => raw.toLowerCase().startsWith(name.toLowerCase()) && FULL_NAMES[name].startsWith(raw.toLowerCase()));
    if (!day) throw new QuietScheduleError(`"${raw}" is not a day of the week (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)`);
    days.add(day);
  }
  return days;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The weekday and minutes after midnight of an instant on the wall clock of `timeZone`. */
export function wallClock(instant: number, timeZone: string): { weekday: Weekday; minutes: number } {
  const parts = formatter(timeZone).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = WEEKDAYS.find((day) => day === part('weekday'));
  if (!weekday) throw new Error(`unexpected weekday "${part('weekday')}" from Intl`);
  return { weekday, minutes: (Number(part('hour')) % 24) * 60 + Number(part('minute')) };
}

function inHours(hours: QuietHours, minutes: number): boolean {
  return hours.start < hours.end ? minutes >= hours.start && minutes < hours.end : minutes >= hours.start || minutes < hours.end;
}

/** True during a quiet day (the whole local day) or inside the quiet hours of any day. */
export function isQuiet(schedule: QuietSchedule, instant: number): boolean {
  if (schedule.days.size === 0 && !schedule.hours) return false;
  const { weekday, minutes } = wallClock(instant, schedule.timeZone);
  return schedule.days.has(weekday) || (schedule.hours !== undefined && inHours(schedule.hours, minutes));
}
