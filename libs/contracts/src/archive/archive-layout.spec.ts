import { billingRecordId } from '../events/record-id';
import type { BillingRecord } from '../events/billing-record';
import { compactDay, dayFileKey, partFile } from './archive-layout';

function record(serviceId: string, amount: string, collectedAt: string): BillingRecord {
  const identity = { source: 'synthetic' as const, domainId: 'd', projectId: 'p', serviceId, periodStart: '2026-11-02T05:00:00.000Z', granularity: 'HOURLY' as const, currency: 'USD' };
  return { ...identity, id: billingRecordId(identity), serviceName: serviceId, periodEnd: '2026-11-02T06:00:00.000Z', amount, collectedAt };
}

describe('archive layout', () => {
  it('names the day file as the seed does', () => {
    expect(dayFileKey('2026-11-02')).toBe('raw/year=2026/month=11/day=02/billing_20261102.json');
  });

  it('gives the same part key for the same records in any order', () => {
    const a = record('a', '1', '2026-11-02T07:00:00Z');
    const b = record('b', '2', '2026-11-02T07:00:00Z');
    expect(partFile('2026-11-02', [a, b]).key).toBe(partFile('2026-11-02', [b, a]).key);
    expect(partFile('2026-11-02', [a]).key).not.toBe(partFile('2026-11-02', [a, b]).key);
  });

  it('compacts overlapping parts to each record once, the newest restatement winning', () => {
    const original = record('a', '1', '2026-11-02T07:00:00Z');
    const restated = record('a', '1.5', '2026-11-03T07:00:00Z');
    const other = record('b', '2', '2026-11-02T07:00:00Z');
    const compacted = compactDay([partFile('x', [restated, other]).body, partFile('x', [original, other]).body]);
    expect(compacted.map((r) => [r.serviceId, r.amount])).toEqual(
      [['a', '1.5'], ['b', '2']].sort((x, y) => (billingRecordId({ ...original, serviceId: x[0]! }) < billingRecordId({ ...original, serviceId: y[0]! }) ? -1 : 1)),
    );
  });
});
