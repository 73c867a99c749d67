import { sumAmounts, type BillingRecord } from '@costwatch/contracts';

/**
 * Ground truth for tests: the daily total per (date, domain, project, service, currency)
 * after restatements (the newest `collectedAt` of each record id wins), summed exactly.
 */
export function expectedDailyTotals(records: Iterable<BillingRecord>): Map<string, string> {
  const latest = new Map<string, BillingRecord>();
  for (const record of records) {
    const current = latest.get(record.id);
    if (!current || current.collectedAt <= record.collectedAt) latest.set(record.id, record);
  }
  const byDay = new Map<string, string[]>();
  for (const record of latest.values()) {
    const key = [record.periodStart.slice(0, 10), record.domainId, record.projectId, record.serviceId, record.currency].join('|');
    byDay.set(key, [...(byDay.get(key) ?? []), record.amount]);
  }
  return new Map([...byDay].map(([key, amounts]) => [key, sumAmounts(amounts)]));
}
