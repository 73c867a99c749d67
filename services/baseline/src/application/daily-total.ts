import { approximate, type DailyTotal } from '@costwatch/contracts';
import { seriesId } from '../domain/rollup-keys';
import type { DailyDocument } from '../infra/rollups.repository';
import type { SeriesDayUpdate, SeriesFields } from '../infra/series.repository';

export function toDailyTotal(doc: DailyDocument): DailyTotal {
  return {
    date: doc.date,
    domainId: doc.domainId,
    projectId: doc.projectId,
    serviceId: doc.serviceId,
    serviceName: doc.serviceName,
    currency: doc.currency,
    amount: doc.amount,
    recordCount: doc.recordCount,
    revision: revisionOf(doc),
    ...(doc.hourCounts.some((count) => count > 0) ? { hours: doc.hours.map((amount, hour) => ((doc.hourCounts[hour] ?? 0) > 0 ? amount : null)) } : {}),
  };
}

/** The newest `collectedAt` among the day's records (ms): a restatement or a late record makes it larger. */
export function revisionOf(doc: DailyDocument): number {
  let newest = 0;
  for (const record of doc.records.values()) newest = Math.max(newest, Date.parse(record.collectedAt) || 0);
  return newest;
}

/** A day document as the series history keeps it: hourly floats for statistics, the exact total. */
export function toSeriesDay(doc: DailyDocument): SeriesDayUpdate {
  return {
    seriesId: seriesId(doc),
    identity: seriesFields(doc),
    date: doc.date,
    day: { hours: doc.hours.map(approximate), hourCounts: doc.hourCounts, total: doc.amount, recordCount: doc.recordCount },
  };
}

export const seriesFields = (doc: DailyDocument): SeriesFields => ({ domainId: doc.domainId, projectId: doc.projectId, serviceId: doc.serviceId, currency: doc.currency, serviceName: doc.serviceName });
