import { billingRecordSchema } from '@costwatch/contracts';
import { SyntheticBilling } from './synthetic-billing';

const small = { seed: 7, days: 20, domains: 2, projectsPerDomain: 2, servicesPerProject: 3, anomalies: 5, warmupDays: 7 };

describe('SyntheticBilling', () => {
  it('is reproducible for a seed and differs across seeds', () => {
    const first = [...new SyntheticBilling(small).hours()].flatMap((h) => h.records);
    const again = [...new SyntheticBilling(small).hours()].flatMap((h) => h.records);
    const other = [...new SyntheticBilling({ ...small, seed: 8 }).hours()].flatMap((h) => h.records);
    expect(again).toEqual(first);
    expect(other.map((r) => r.amount)).not.toEqual(first.map((r) => r.amount));
  });

  it('emits valid records; a repeated id is a restatement a day later with a newer collectedAt', () => {
    const billing = new SyntheticBilling({ ...small, restatementRate: 0.2 });
    const seen = new Map<string, { collectedAt: string; arrivedAt: number }>();
    let restatements = 0;
    for (const { hourStart, records } of billing.hours()) {
      for (const record of records) {
        expect(billingRecordSchema.safeParse(record).success).toBe(true);
        const first = seen.get(record.id);
        if (first) {
          restatements += 1;
          expect(record.collectedAt > first.collectedAt).toBe(true);
          expect(hourStart.getTime() - first.arrivedAt).toBe(24 * 3_600_000);
        } else {
          seen.set(record.id, { collectedAt: record.collectedAt, arrivedAt: hourStart.getTime() });
        }
      }
    }
    expect(restatements).toBeGreaterThan(0);
  });

  it('labels every injected anomaly after the warm-up, and one of each shape', () => {
    const billing = new SyntheticBilling(small);
    expect(billing.labels).toHaveLength(5);
    expect(new Set(billing.labels.map((l) => l.kind))).toEqual(new Set(['spike', 'level-shift', 'ramp', 'drop-to-zero', 'new-expensive-service']));
    for (const label of billing.labels) expect(Date.parse(label.start)).toBeGreaterThanOrEqual(Date.parse('2026-09-08T00:00:00Z'));
  });

  it('a drop-to-zero window really costs nothing and a spike costs more than the hour before', () => {
    const billing = new SyntheticBilling(small);
    const records = [...billing.hours()].flatMap((h) => h.records);
    const amountAt = (serviceId: string, projectId: string, at: string) =>
      records.filter((r) => r.serviceId === serviceId && r.projectId === projectId && r.periodStart === at).map((r) => Number(r.amount))[0];
    const drop = billing.labels.find((l) => l.kind === 'drop-to-zero')!;
    expect(amountAt(drop.serviceId, drop.projectId, drop.start)).toBe(0);
    const spike = billing.labels.find((l) => l.kind === 'spike')!;
    const before = new Date(Date.parse(spike.start) - 3_600_000).toISOString();
    expect(amountAt(spike.serviceId, spike.projectId, spike.start)!).toBeGreaterThan(2 * amountAt(spike.serviceId, spike.projectId, before)!);
  });

  it('bills month-start purchases on their own lines, credits as negative Credit records and tax as Tax records', () => {
    const billing = new SyntheticBilling({ start: '2026-09-30', days: 3, warmupDays: 1 });
    const records = [...billing.hours()].flatMap((h) => h.records);
    const purchases = records.filter((r) => r.chargeCategory === 'Purchase');
    expect(purchases.length).toBeGreaterThan(0);
    expect(purchases.every((r) => r.periodStart === '2026-10-01T00:00:00.000Z' && r.serviceId.endsWith('-reserved'))).toBe(true);
    const credits = records.filter((r) => r.chargeCategory === 'Credit');
    expect(credits.length).toBeGreaterThan(0);
    expect(credits.every((r) => r.amount.startsWith('-') && billingRecordSchema.safeParse(r).success)).toBe(true);
    expect(records.filter((r) => r.chargeCategory === 'Tax').every((r) => r.serviceId === 'tax' && r.periodStart.endsWith('T00:00:00.000Z'))).toBe(true);
  });

  it('delivers some hours late: first sent hours after their period, with the final amount', () => {
    const billing = new SyntheticBilling({ ...small, lateDataRate: 0.05 });
    const late = [...billing.hours()].flatMap(({ hourStart, records }) => records.filter((r) => Date.parse(r.periodStart) < hourStart.getTime() && r.collectedAt === new Date(hourStart.getTime() + 2 * 3_600_000).toISOString()));
    expect(late.length).toBeGreaterThan(0);
  });
});
