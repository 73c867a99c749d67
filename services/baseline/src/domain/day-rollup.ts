import { fromScaled, toScaled, type BillingRecord } from '@costwatch/contracts';

export type StoredRecord = Pick<BillingRecord, 'source' | 'granularity' | 'amount'> & { hour: number };

export interface DayRollup {
  /** Exact hourly sums of HOURLY records, index = UTC hour; "0" where none. */
  hours: string[];
  hourCounts: number[];
  total: string;
  recordCount: number;
}

/**
 * Scaled amounts of stored records, by record object. A day document keeps its record
 * objects from one merge to the next, so each amount is parsed once, not once per merge.
 */
const scaledAmounts = new WeakMap<StoredRecord, bigint>();

function scaledOf(record: StoredRecord): bigint {
  let scaled = scaledAmounts.get(record);
  if (scaled === undefined) {
    scaled = toScaled(record.amount);
    scaledAmounts.set(record, scaled);
  }
  return scaled;
}

/**
 * The rollup of one series-day from all its stored records. A source that reports the day
 * both as DAILY and HOURLY records (e.g. Cost Explorer collected at both granularities) is
 * counted once: its DAILY records give the day total, its HOURLY ones the hourly profile.
 * Different sources add up.
 */
export function rollupDay(records: Iterable<StoredRecord>): DayRollup {
  const hours = new Array<bigint>(24).fill(0n);
  const hourCounts = new Array<number>(24).fill(0);
  const bySource = new Map<string, { daily: bigint; dailyCount: number; hourly: bigint }>();
  let recordCount = 0;
  for (const record of records) {
    recordCount += 1;
    let entry = bySource.get(record.source);
    if (!entry) {
      entry = { daily: 0n, dailyCount: 0, hourly: 0n };
      bySource.set(record.source, entry);
    }
    const scaled = scaledOf(record);
    if (record.granularity === 'DAILY') {
      entry.daily += scaled;
      entry.dailyCount += 1;
    } else {
      entry.hourly += scaled;
      if (record.hour >= 0 && record.hour < 24) {
        hours[record.hour] = (hours[record.hour] ?? 0n) + scaled;
        hourCounts[record.hour] = (hourCounts[record.hour] ?? 0) + 1;
      }
    }
  }
  let total = 0n;
  for (const entry of bySource.values()) total += entry.dailyCount > 0 ? entry.daily : entry.hourly;
  return { hours: hours.map(fromScaled), hourCounts, total: fromScaled(total), recordCount };
}
