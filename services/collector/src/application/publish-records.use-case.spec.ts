import { billingRecordId, topicNames, type BillingRecord } from '@costwatch/contracts';
import type { EventPublisher } from '@costwatch/kafka';
import type { SourceBatch } from '../domain/billing-source';
import { PublishRecordsUseCase } from './publish-records.use-case';

const topics = topicNames('');
const NOW = Date.parse('2026-12-07T15:00:00Z');

function record(patch: Partial<BillingRecord> = {}): BillingRecord {
  const fields = { source: 'synthetic' as const, domainId: 'd1', projectId: 'p1', serviceId: 'compute', serviceName: 'VM', granularity: 'HOURLY' as const, periodStart: '2026-11-01T03:00:00.000Z', periodEnd: '2026-11-01T04:00:00.000Z', currency: 'USD', amount: '1.5', collectedAt: '2026-11-01T05:00:00.000Z', ...patch };
  return { ...fields, id: billingRecordId(fields) };
}

/** A publisher that keeps what it was given. */
function recordingPublisher() {
  const published: unknown[] = [];
  const deadLettered: Array<{ topic: string; value: string; reason: string; headers: Record<string, string> }> = [];
  const publisher = {
    publish: (_topic: string, schema: { parse: (e: unknown) => unknown }, events: Array<{ event: unknown }>) => Promise.resolve(void published.push(...events.map(({ event }) => schema.parse(event)))),
    publishRaw: (topic: string, message: { value: Buffer; headers: Record<string, string> }) =>
      Promise.resolve(void deadLettered.push({ topic, value: message.value.toString(), reason: message.headers['x-dlq-reason'] ?? '', headers: message.headers })),
  } as unknown as EventPublisher;
  return { publisher, published, deadLettered };
}

async function* batches(...list: SourceBatch[]): AsyncIterable<SourceBatch> {
  yield* list;
}

describe('PublishRecordsUseCase', () => {
  it('publishes records that meet the policy and dead-letters the others with their reason', async () => {
    const { publisher, published, deadLettered } = recordingPublisher();
    const useCase = new PublishRecordsUseCase(publisher, topics, 'test', { extraCurrencies: [], maxAgeDays: 3_660, maxLeadHours: 24, now: () => NOW });
    const good = record();
    const summary = await useCase.publishAll('synthetic', batches({ records: [good, record({ currency: 'XXX' }), record({ periodStart: '2099-09-01T00:00:00.000Z', periodEnd: '2099-09-01T01:00:00.000Z' })], rejected: [] }));

    expect(summary).toMatchObject({ published: 1, rejected: 2 });
    expect(published).toEqual([expect.objectContaining({ payload: good })]);
    expect(deadLettered.map((d) => d.topic)).toEqual(['billing.records.v1.dlq', 'billing.records.v1.dlq']);
    expect(deadLettered[0]?.reason).toMatch(/^invalid: currency: "XXX" is not an ISO 4217 currency/);
    expect(deadLettered[1]?.reason).toMatch(/^invalid: periodStart: starts .* h after the record was collected/);
    expect(JSON.parse(deadLettered[1]?.value ?? '{}')).toMatchObject({ periodStart: '2099-09-01T00:00:00.000Z' });
  });

  it('applies the configured policy: an extra currency and a longer history pass', async () => {
    const { publisher, published } = recordingPublisher();
    const useCase = new PublishRecordsUseCase(publisher, topics, 'test', { extraCurrencies: ['XCG'], maxAgeDays: 10_000, maxLeadHours: 24, now: () => NOW });
    const summary = await useCase.publishAll('synthetic', batches({ records: [record({ currency: 'XCG' }), record({ periodStart: '2001-01-01T00:00:00.000Z', periodEnd: '2001-01-01T01:00:00.000Z' })], rejected: [] }));
    expect(summary).toMatchObject({ published: 2, rejected: 0 });
    expect(published).toHaveLength(2);
  });

  it('dead-letters a rejected row too large for Kafka as an excerpt, with its reason', async () => {
    const { publisher, deadLettered } = recordingPublisher();
    const useCase = new PublishRecordsUseCase(publisher, topics, 'test');
    const raw = ['2026-12-01T00:00:00Z', 'x'.repeat(3_000_000)];
    const summary = await useCase.publishAll('focus', batches({ records: [], rejected: [{ source: 'focus', location: 'line 2 of big.csv', reason: 'Tags is 3000000 characters long, more than 153600', raw }] }));

    expect(summary).toMatchObject({ published: 0, rejected: 1 });
    const [letter] = deadLettered;
    expect(letter?.reason).toBe('invalid: Tags is 3000000 characters long, more than 153600');
    expect(letter?.headers['x-dlq-location']).toBe('line 2 of big.csv');
    expect(letter?.headers['x-dlq-truncated-from-bytes']).toBe(String(JSON.stringify(raw).length));
    expect(letter?.value.length).toBeLessThan(20_000);
    expect(JSON.parse(letter?.value ?? '{}')).toEqual({ truncated: true, bytes: JSON.stringify(raw).length, excerpt: expect.stringMatching(/^\["2026-12-01T00:00:00Z","x{100}/) });
  });
});
