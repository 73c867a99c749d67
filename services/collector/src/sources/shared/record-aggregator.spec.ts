import { RecordAggregator, type SourceRow } from './record-aggregator';

const row = (overrides: Partial<SourceRow> = {}): SourceRow => ({
  domainId: 'acct',
  projectId: 'proj',
  serviceId: 'svc',
  serviceName: 'Service',
  granularity: 'DAILY',
  periodStart: new Date('2024-09-01T00:00:00Z'),
  periodEnd: new Date('2024-09-02T00:00:00Z'),
  currency: 'USD',
  amount: '1',
  ...overrides,
});

const drainAll = (aggregator: RecordAggregator, batchSize = 100) => {
  const batches = [...aggregator.drain(batchSize)];
  return { batches, records: batches.flatMap((b) => b.records), rejected: batches.flatMap((b) => b.rejected) };
};

describe('RecordAggregator', () => {
  const collectedAt = new Date('2024-09-05T00:00:00Z');

  it('sums rows of one identity exactly (no float drift, exponents accepted) into one record', () => {
    const aggregator = new RecordAggregator('focus', collectedAt);
    for (let i = 0; i < 10; i += 1) expect(aggregator.add(row({ amount: '0.1' }), `line ${i}`)).toBeUndefined();
    aggregator.add(row({ amount: '1E-10' }), 'line 11');
    aggregator.add(row({ amount: '-0.0000000001' }), 'line 12');

    const { records } = drainAll(aggregator);

    expect(records).toEqual([expect.objectContaining({ amount: '1', source: 'focus', collectedAt: '2024-09-05T00:00:00.000Z' })]);
    expect(aggregator.size).toBe(0);
  });

  it('keeps identities apart, and a "+09:00" spelling of one instant is the same identity', () => {
    const aggregator = new RecordAggregator('focus', collectedAt);
    aggregator.add(row({ amount: '1' }), 'a');
    aggregator.add(row({ amount: '2', periodStart: new Date('2024-09-01T09:00:00+09:00') }), 'b');
    aggregator.add(row({ amount: '4', currency: 'EUR' }), 'c');
    aggregator.add(row({ amount: '8', projectId: 'other' }), 'd');

    const { records } = drainAll(aggregator);

    expect(records.map((r) => [r.projectId, r.currency, r.amount])).toEqual([
      ['proj', 'USD', '3'],
      ['proj', 'EUR', '4'],
      ['other', 'USD', '8'],
    ]);
    expect(new Set(records.map((r) => r.id)).size).toBe(3);
  });

  it('keeps the first service name, the latest period end and only the tags every row agrees on', () => {
    const aggregator = new RecordAggregator('focus', collectedAt);
    aggregator.add(row({ tags: { team: 'a', env: 'prod', app: 'x' } }), '1');
    aggregator.add(row({ serviceName: 'Renamed', periodEnd: new Date('2024-09-03T00:00:00Z'), tags: { team: 'a', env: 'prod', app: 'y' } }), '2');

    const { records } = drainAll(aggregator);

    expect(records).toEqual([expect.objectContaining({ serviceName: 'Service', periodEnd: '2024-09-03T00:00:00.000Z', tags: { team: 'a', env: 'prod' } })]);
  });

  it('drops tags altogether once a row without tags joins', () => {
    const aggregator = new RecordAggregator('focus', collectedAt);
    aggregator.add(row({ tags: { team: 'a' } }), '1');
    aggregator.add(row(), '2');
    expect(drainAll(aggregator).records[0]).not.toHaveProperty('tags');
  });

  it('rejects a row with its location: bad amount (named), bad identity, empty period', () => {
    const aggregator = new RecordAggregator('focus', collectedAt);

    expect(aggregator.add(row({ amount: '0.0000000000001' }), 'line 7', undefined, 'EffectiveCost')).toEqual({
      source: 'focus',
      location: 'line 7',
      reason: 'EffectiveCost: invalid amount "0.0000000000001": more than 12 fractional digits',
    });
    expect(aggregator.add(row({ amount: 'abc' }), 'line 8')?.reason).toBe('amount: invalid amount "abc": not a decimal number');
    // decimal.js would read these as 31, 3, 7 and 1000.
    for (const amount of ['0x1F', '0b11', '0o7', '1_000', 'Infinity', '1e']) expect(aggregator.add(row({ amount }), 'line 8')?.reason).toBe(`amount: invalid amount "${amount}": not a decimal number`);
    expect(aggregator.add(row({ amount: '1e400' }), 'line 8')?.reason).toBe('amount: invalid amount "1e400": too large');
    expect(aggregator.add(row({ domainId: 'a|b' }), 'line 9', { raw: true })).toEqual({ source: 'focus', location: 'line 9', reason: expect.stringContaining('domainId'), raw: { raw: true } });
    expect(aggregator.add(row({ currency: 'usd' }), 'line 10')?.reason).toContain('currency');
    expect(aggregator.add(row({ periodEnd: new Date('2024-09-01T00:00:00Z') }), 'line 11')?.reason).toBe('period end must be after period start');
    expect(aggregator.size).toBe(0);
  });

  it('emits batches of the given size', () => {
    const aggregator = new RecordAggregator('kakaocloud', collectedAt);
    for (let i = 0; i < 5; i += 1) aggregator.add(row({ serviceId: `svc-${i}` }), `item ${i}`);

    expect(drainAll(aggregator, 2).batches.map((b) => b.records.length)).toEqual([2, 2, 1]);
  });

  it('records a negative total of a net-of-credits source as an Adjustment; other sources may not send one', () => {
    const net = new RecordAggregator('aws-cost-explorer', collectedAt, true);
    net.add(row({ amount: '2' }), 'a');
    net.add(row({ amount: '-5' }), 'b');
    net.add(row({ amount: '3', serviceId: 'storage' }), 'c');
    expect(drainAll(net).records.map((r) => [r.serviceId, r.amount, r.chargeCategory])).toEqual([
      ['svc', '-3', 'Adjustment'],
      ['storage', '3', undefined],
    ]);

    const plain = new RecordAggregator('focus', collectedAt);
    expect(plain.add(row({ amount: '-5' }), 'line 7')).toBeUndefined();
    plain.add(row({ amount: '1' }), 'line 8');
    plain.add(row({ amount: '-1', chargeCategory: 'Credit', serviceId: 'svc:credit' }), 'line 9');
    const { records, rejected } = drainAll(plain);
    expect(records.map((r) => [r.serviceId, r.amount])).toEqual([['svc:credit', '-1']]);
    expect(rejected).toEqual([expect.objectContaining({ location: 'line 7 and 1 more row(s) of the same record', reason: expect.stringContaining('negative amount on a Usage record') })]);
  });
});
