import { MS } from '@costwatch/contracts';

/** Calendar periods of a cost report, in UTC: a day, a week (Monday to Sunday) or a month. */
export const reportPeriodKinds = ['daily', 'weekly', 'monthly'] as const;
export type ReportPeriodKind = (typeof reportPeriodKinds)[number];

export interface ReportPeriod {
  kind: ReportPeriodKind;
  /** First day, YYYY-MM-DD. */
  start: string;
  /** The day after the last one (exclusive), YYYY-MM-DD. */
  end: string;
  /** Every day of the period, in order. */
  days: string[];
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const msOf = (day: string): number => Date.parse(`${day}T00:00:00Z`);

export function addDays(day: string, days: number): string {
  return dayOf(msOf(day) + days * MS.day);
}

/** `20260915` → `2026-09-15`; anything that is not a real calendar day is refused. */
export function parseReportDay(text: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text.trim());
  const day = match ? `${match[1]}-${match[2]}-${match[3]}` : '';
  if (!match || Number.isNaN(msOf(day)) || dayOf(msOf(day)) !== day) throw new Error(`must be a day as YYYYMMDD, e.g. 20260915 (got "${text}")`);
  return day;
}

/** `2026-09-15` → `20260915`, as file names carry it. */
export const compactDay = (day: string): string => day.replace(/-/g, '');

function periodFrom(kind: ReportPeriodKind, start: string, end: string): ReportPeriod {
  const days: string[] = [];
  for (let day = start; day < end; day = addDays(day, 1)) days.push(day);
  return { kind, start, end, days };
}

/** The period of this kind that contains `day` (YYYY-MM-DD). */
export function periodContaining(kind: ReportPeriodKind, day: string): ReportPeriod {
  switch (kind) {
    case 'daily':
      return periodFrom(kind, day, addDays(day, 1));
    case 'weekly': {
      // getUTCDay: Sunday = 0; weeks start on Monday.
      const start = addDays(day, -((new Date(msOf(day)).getUTCDay() + 6) % 7));
      return periodFrom(kind, start, addDays(start, 7));
    }
    case 'monthly': {
      const start = `${day.slice(0, 7)}-01`;
      const next = new Date(msOf(start));
      next.setUTCMonth(next.getUTCMonth() + 1);
      return periodFrom(kind, start, dayOf(next.getTime()));
    }
  }
}

/** The period of the same kind just before: the day, week or calendar month before. */
export const previousPeriod = (period: ReportPeriod): ReportPeriod => periodContaining(period.kind, addDays(period.start, -1));

/** The latest period of this kind that ended before `now`'s day began (yesterday, last week, last month). */
export const lastCompletePeriod = (kind: ReportPeriodKind, now: Date): ReportPeriod => previousPeriod(periodContaining(kind, dayOf(now.getTime())));

/** The period's last day (inclusive). */
export const lastDay = (period: ReportPeriod): string => addDays(period.end, -1);
