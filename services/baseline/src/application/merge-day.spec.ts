import { billingRecordId, type BillingRecord } from '@costwatch/contracts';
import { mergeDay } from './aggregate-records.use-case';

function record(hour: number, amount: string, collectedAt: string): BillingRecord {
  const periodStart = `2026-11-02T${String(hour).padStart(2, '0')}:00:00.000Z`;
  const identity = { source: 'synthetic' as const, domainId: 'd', projectId: 'p', serviceId: 's', periodStart, granularity: 'HOURLY' as const, currency: 'USD' };
  return { ...identity, id: billingRecordId(identity), serviceName: 'S', periodEnd: new Date(Date.parse(periodStart) + 3_600_000).toISOString(), amount, collectedAt };
}

const KEY = '2026-11-02|d|p|s|USD';

describe('mergeDay', () => {
  it('sums a new day exactly', () => {
    const day = mergeDay(KEY, undefined, [record(1, '0.1', '2026-11-02T03:00:00Z'), record(2, '0.2', '2026-11-02T03:00:00Z')])!;
    expect(day.amount).toBe('0.3');
    expect(day.hours[1]).toBe('0.1');
    expect(day.recordCount).toBe(2);
  });

  it('replaces a record with a newer restatement and ignores an older copy', () => {
    const first = mergeDay(KEY, undefined, [record(1, '10', '2026-11-02T03:00:00Z'), record(2, '5', '2026-11-02T03:00:00Z')])!;
    const restated = mergeDay(KEY, first, [record(1, '12.5', '2026-11-03T03:00:00Z')])!;
    expect(restated.amount).toBe('17.5');
    expect(restated.recordCount).toBe(2);
    expect(mergeDay(KEY, restated, [record(1, '999', '2026-11-01T00:00:00Z')])).toBeUndefined();
  });

  it('reports no change when the same records arrive again', () => {
    const records = [record(1, '10', '2026-11-02T03:00:00Z')];
    const first = mergeDay(KEY, undefined, records)!;
    expect(mergeDay(KEY, first, records)).toBeUndefined();
  });

  it('leaves the day it merged into as it was, unless told to take its records over', () => {
    const first = mergeDay(KEY, undefined, [record(1, '10', '2026-11-02T03:00:00Z')])!;
    const copied = mergeDay(KEY, first, [record(2, '5', '2026-11-02T03:00:00Z')])!;
    expect(first.records.size).toBe(1);
    expect(first.amount).toBe('10');
    const takenOver = mergeDay(KEY, first, [record(2, '5', '2026-11-02T03:00:00Z')], [], true)!;
    expect(takenOver.records).toBe(first.records);
    expect({ ...takenOver, records: [...takenOver.records] }).toEqual({ ...copied, records: [...copied.records] });
  });
});
