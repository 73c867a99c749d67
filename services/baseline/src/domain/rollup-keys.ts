import type { BillingRecord } from '@costwatch/contracts';

/** The rollup series: one domain/project/service in one currency. */
export type SeriesIdentity = Pick<BillingRecord, 'domainId' | 'projectId' | 'serviceId' | 'currency'>;

export const seriesId = (s: SeriesIdentity): string => `${s.domainId}|${s.projectId}|${s.serviceId}|${s.currency}`;

/** UTC calendar date (YYYY-MM-DD) and hour of a record's period start. */
export function periodSlot(periodStart: string): { date: string; hour: number } {
  const iso = new Date(periodStart).toISOString();
  return { date: iso.slice(0, 10), hour: Number(iso.slice(11, 13)) };
}

/**
 * The billing day a record belongs to. An hourly record: the UTC date of its start. A daily
 * (or longer) record: the UTC date 12 hours after its start, which is the day it starts in
 * the source's own time zone for any UTC offset within ±12 h — a KakaoCloud day in KST
 * (15:00Z to 15:00Z) is its KST date, a FOCUS or Cost Explorer day in UTC its UTC date, a
 * month-long purchase the month's first day.
 */
export function billingDay(record: Pick<BillingRecord, 'periodStart' | 'granularity'>): string {
  if (record.granularity !== 'DAILY') return periodSlot(record.periodStart).date;
  return new Date(Date.parse(record.periodStart) + 12 * 3_600_000).toISOString().slice(0, 10);
}

export const dayKey = (date: string, s: SeriesIdentity): string => `${date}|${seriesId(s)}`;
export const hourKey = (date: string, hour: number, s: SeriesIdentity): string => `${date}T${String(hour).padStart(2, '0')}|${seriesId(s)}`;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
