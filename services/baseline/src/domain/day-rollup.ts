import { sumAmounts, type BillingRecord } from '@costwatch/contracts';

export type StoredRecord = Pick<BillingRecord, 'source' | 'granularity' | 'amount'> & { hour: number };

export interface DayRollup {
  /** Exact hourly sums of HOURLY records, index = UTC hour; "0" where none. */
  hours: string[];
  hourCounts: number[];
  total: string;
  recordCount: number;
}

/**
 * The rollup of one series-day from all its stored records. A source that reports the day
 * both as DAILY and HOURLY records (e.g. Cost Explorer collected at both granularities) is
 * counted once: its DAILY records give the day total, its HOURLY ones the hourly profile.
 * Different sources add up.
 */
export function rollupDay(records: readonly StoredRecord[]): DayRollup {
  const hourly: string[][] = Array.from({ length: 24 }, () => []);
  const bySource = new Map<string, { daily: string[]; hourly: string[] }>();
  for (const record of records) {
    const entry = bySource.get(record.source) ?? { daily: [], hourly: [] };
    bySource.set(record.source, entry);
    if (record.granularity === 'DAILY') {
      entry.daily.push(record.amount);
    } else {
      entry.hourly.push(record.amount);
      hourly[record.hour]?.push(record.amount);
    }
  }
  const perSource = [...bySource.values()].map((entry) => sumAmounts(entry.daily.length > 0 ? entry.daily : entry.hourly));
  return {
    hours: hourly.map((amounts) => sumAmounts(amounts)),
    hourCounts: hourly.map((amounts) => amounts.length),
    total: sumAmounts(perSource),
    recordCount: records.length,
  };
}
