import { Partitioners, type Kafka } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { billingRecordEventSchema, billingRecordId, createEnvelope, deadLetterTopic, type BillingRecord } from '@costwatch/contracts';
import { collectMessages, testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { createKafka } from './create-kafka';
import { ensureTopics } from './ensure-topics';
import { NonRetriableError } from './errors';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { Headers, headerText } from './headers';
import { KafkaMetrics } from './kafka-metrics';

const logger = pino({ level: 'silent' });

function record(serviceId: string, amount: string): BillingRecord {
  const identity = {
    source: 'synthetic' as const,
    domainId: 'dom-1',
    projectId: 'proj-1',
    serviceId,
    periodStart: '2026-11-01T00:00:00Z',
    granularity: 'HOURLY' as const,
    currency: 'USD',
  };
  return { ...identity, id: billingRecordId(identity), serviceName: serviceId, periodEnd: '2026-11-01T01:00:00Z', amount, collectedAt: '2026-11-01T02:00:00Z' };
}

describe('EventConsumer dead-letter path (real Kafka)', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let consumer: EventConsumer<typeof billingRecordEventSchema> | undefined;
  let registry: Registry;

  beforeAll(async () => {
    kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: 'test', logger });
    registry = new Registry();
    publisher = new EventPublisher(kafka, new KafkaMetrics(registry));
    await publisher.connect();
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
  });

  afterAll(async () => {
    await publisher.disconnect();
  });

  it('dead-letters malformed and invalid messages with their reason and original bytes, and keeps consuming', async () => {
    const topic = uniqueName('records');
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
    const raw = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await raw.connect();
    const invalid = JSON.stringify(createEnvelope('billing.record', 'test', { ...record('compute', '1.5'), amount: 1.5 }));
    await raw.send({
      topic,
      messages: [
        { key: 'k1', value: '{"not json', headers: { [Headers.correlationId]: 'corr-1' } },
        { key: 'k2', value: invalid },
      ],
    });
    await raw.disconnect();
    await publisher.publish(topic, billingRecordEventSchema, [{ key: 'k3', event: createEnvelope('billing.record', 'test', record('storage', '2.25')) }]);

    const handled: string[] = [];
    consumer = new EventConsumer(
      kafka,
      { groupId: uniqueName('group'), topic, schema: billingRecordEventSchema, handle: (event) => Promise.resolve(void handled.push(event.payload.serviceId)) },
      publisher,
      logger,
      new KafkaMetrics(new Registry()),
    );
    await consumer.start();

    await waitFor(() => (handled.length === 1 ? true : undefined), 'the valid record after two poison messages');
    expect(handled).toEqual(['storage']);

    const dead = await collectMessages(kafka, deadLetterTopic(topic), 2);
    const byKey = new Map(dead.map((m) => [m.key?.toString(), m]));
    const notJson = byKey.get('k1')!;
    expect(notJson.value?.toString()).toBe('{"not json');
    expect(headerText(notJson.headers, Headers.dlqReason)).toMatch(/^invalid: not JSON/);
    expect(headerText(notJson.headers, Headers.correlationId)).toBe('corr-1');
    expect(headerText(notJson.headers, Headers.dlqOriginalTopic)).toBe(topic);
    expect(headerText(notJson.headers, Headers.dlqOriginalOffset)).toBe('0');
    const badAmount = byKey.get('k2')!;
    expect(badAmount.value?.toString()).toBe(invalid);
    expect(headerText(badAmount.headers, Headers.dlqReason)).toMatch(/^invalid: failed validation: payload\.amount/);
  });

  it('retries a failing handler with backoff, then dead-letters it; a non-retriable error skips the retries', async () => {
    const topic = uniqueName('records');
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
    await publisher.publish(topic, billingRecordEventSchema, [
      { key: 'flaky', event: createEnvelope('billing.record', 'test', record('flaky', '1')) },
      { key: 'broken', event: createEnvelope('billing.record', 'test', record('broken', '1')) },
      { key: 'poison', event: createEnvelope('billing.record', 'test', record('poison', '1')) },
      { key: 'fine', event: createEnvelope('billing.record', 'test', record('fine', '1')) },
    ]);
    const attempts = new Map<string, number>();
    const done: string[] = [];
    consumer = new EventConsumer(
      kafka,
      {
        groupId: uniqueName('group'),
        topic,
        schema: billingRecordEventSchema,
        retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
        handle: (event, context) => {
          const service = event.payload.serviceId;
          attempts.set(service, context.attempt);
          if (service === 'flaky' && context.attempt < 2) return Promise.reject(new Error('database timeout'));
          if (service === 'broken') return Promise.reject(new Error('database down'));
          if (service === 'poison') return Promise.reject(new NonRetriableError('violates invariant'));
          done.push(service);
          return Promise.resolve();
        },
      },
      publisher,
      logger,
    );
    await consumer.start();
    await waitFor(() => (done.includes('fine') ? true : undefined), 'the last message');

    expect(done).toEqual(['flaky', 'fine']);
    expect(Object.fromEntries(attempts)).toEqual({ flaky: 2, broken: 3, poison: 1, fine: 1 });
    const dead = await collectMessages(kafka, deadLetterTopic(topic), 2);
    const reasons = Object.fromEntries(dead.map((m) => [m.key?.toString(), headerText(m.headers, Headers.dlqReason)]));
    expect(reasons).toEqual({ broken: 'exhausted: 3 attempts failed; last: database down', poison: 'non_retriable: violates invariant' });
    const metrics = await registry.getSingleMetricAsString('costwatch_messages_produced_total');
    expect(metrics).toContain(`topic="${deadLetterTopic(topic)}"`);
  });

  it('in batch mode, isolates one poison event and dead-letters only it', async () => {
    const topic = uniqueName('records');
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
    const services = ['a', 'b', 'poison', 'c', 'd'];
    await publisher.publish(
      topic,
      billingRecordEventSchema,
      services.map((service) => ({ key: service, event: createEnvelope('billing.record', 'test', record(service, '1')) })),
    );
    const handled = new Set<string>();
    const batchSizes: number[] = [];
    consumer = new EventConsumer(
      kafka,
      {
        groupId: uniqueName('group'),
        topic,
        schema: billingRecordEventSchema,
        retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
        handleBatch: (items) => {
          batchSizes.push(items.length);
          if (items.some(({ event }) => event.payload.serviceId === 'poison')) return Promise.reject(new Error('constraint violated'));
          items.forEach(({ event }) => handled.add(event.payload.serviceId));
          return Promise.resolve();
        },
      },
      publisher,
      logger,
    );
    await consumer.start();
    await waitFor(() => (handled.size === 4 ? true : undefined), 'the four good events');
    expect([...handled].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(batchSizes[0]).toBe(5);
    const dead = await collectMessages(kafka, deadLetterTopic(topic), 1);
    expect(dead.map((m) => m.key?.toString())).toEqual(['poison']);
    expect(headerText(dead[0]!.headers, Headers.dlqReason)).toBe('exhausted: 2 attempts failed; last: constraint violated');
  });
});

describe('EventConsumer lag reporting (real Kafka)', () => {
  let kafka: Kafka;
  let publisher: EventPublisher;
  let consumer: EventConsumer<typeof billingRecordEventSchema> | undefined;

  beforeAll(async () => {
    kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: 'test', logger });
    publisher = new EventPublisher(kafka);
    await publisher.connect();
  });

  afterEach(async () => {
    await consumer?.stop();
    consumer = undefined;
  });

  afterAll(async () => {
    await publisher.disconnect();
  });

  const lagOf = async (metrics: KafkaMetrics, group: string): Promise<Record<string, number>> =>
    Object.fromEntries((await metrics.consumerLag.get()).values.filter((v) => v.labels.group === group).map((v) => [String(v.labels.partition), v.value]));

  async function publishRecords(topic: string, services: readonly string[]): Promise<void> {
    await publisher.publish(
      topic,
      billingRecordEventSchema,
      services.map((service) => ({ key: service, event: createEnvelope('billing.record', 'test', record(service, '1')) })),
    );
  }

  it('reports the lag of a stalled consumer from the broker, and zero once it has caught up', async () => {
    const topic = uniqueName('records');
    await ensureTopics(kafka, [{ topic, numPartitions: 2 }]);
    await publishRecords(topic, ['a', 'b', 'c', 'd', 'e', 'f']);
    const metrics = new KafkaMetrics(new Registry());
    const group = uniqueName('group');
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    consumer = new EventConsumer(
      kafka,
      {
        groupId: group,
        topic,
        schema: billingRecordEventSchema,
        lagPollIntervalMs: 200,
        // A handler hanging on its dependency: nothing is handled, nothing is committed.
        handle: async (event) => {
          await stuck;
          handled.push(event.payload.serviceId);
        },
      },
      publisher,
      logger,
      metrics,
    );
    await consumer.start();
    const stalled = await waitFor(async () => {
      const lag = await lagOf(metrics, group);
      return Object.keys(lag).length === 2 && lag['0']! + lag['1']! === 6 ? lag : undefined;
    }, 'the lag of all six messages');
    expect(Object.keys(stalled).sort()).toEqual(['0', '1']);
    expect(handled).toEqual([]);

    release();
    await waitFor(() => (handled.length === 6 ? true : undefined), 'the six messages');
    await waitFor(async () => {
      const lag = await lagOf(metrics, group);
      return lag['0'] === 0 && lag['1'] === 0 ? true : undefined;
    }, 'the lag to fall to zero');
    // A consumer that has consumed nothing still has its series, so rate() sees its first message.
    const consumed = (await metrics.consumed.get()).values.find((v) => v.labels.group === group);
    expect(consumed?.value).toBe(6);
  });

  it('in batch mode, sets the lag from each fetch while it works through a backlog', async () => {
    const topic = uniqueName('records');
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
    await publishRecords(topic, Array.from({ length: 50 }, (_, i) => `s${i}`));
    const metrics = new KafkaMetrics(new Registry());
    const group = uniqueName('group');
    const lagSeen: number[] = [];
    consumer = new EventConsumer(
      kafka,
      {
        groupId: group,
        topic,
        schema: billingRecordEventSchema,
        // No broker poll during the test: what is seen comes from the fetched batches.
        lagPollIntervalMs: 600_000,
        maxBatchSize: 10,
        handleBatch: async () => {
          lagSeen.push((await lagOf(metrics, group))['0'] ?? -1);
        },
      },
      publisher,
      logger,
      metrics,
    );
    await consumer.start();
    await waitFor(() => (lagSeen.length === 5 ? true : undefined), 'five chunks of ten');
    await waitFor(async () => ((await lagOf(metrics, group))['0'] === 0 ? true : undefined), 'lag 0 after the last chunk');
    // Before each chunk the lag is what the previous chunk left (the first one races the start-up poll).
    expect(lagSeen.slice(1)).toEqual([40, 30, 20, 10]);
  });
  it('hands over a backlog in fetches of about fetchMaxBytesPerPartition, not all at once', async () => {
    const topic = uniqueName('records');
    await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
    // Ten sends of 100 records: ten record batches of ~40 KB on one partition, read as a backlog.
    for (let send = 0; send < 10; send += 1) {
      await publisher.publish(
        topic,
        billingRecordEventSchema,
        Array.from({ length: 100 }, (_, i) => ({ key: 'k', event: createEnvelope('billing.record', 'test', record(`svc-${send}-${i}`, '1')) })),
      );
    }
    const batchSizes: number[] = [];
    const consume = async (fetchMaxBytesPerPartition?: number): Promise<number[]> => {
      batchSizes.length = 0;
      consumer = new EventConsumer(
        kafka,
        {
          groupId: uniqueName('group'),
          topic,
          schema: billingRecordEventSchema,
          ...(fetchMaxBytesPerPartition ? { fetchMaxBytesPerPartition } : {}),
          maxBatchSize: 10_000,
          handleBatch: (items) => Promise.resolve(void batchSizes.push(items.length)),
        },
        publisher,
        logger,
      );
      await consumer.start();
      await waitFor(() => (batchSizes.reduce((a, b) => a + b, 0) === 1_000 ? true : undefined), 'the whole backlog');
      await consumer.stop();
      consumer = undefined;
      return [...batchSizes];
    };
    // A limit below one record batch: the broker still returns one whole record batch per fetch.
    const small = await consume(1_024);
    expect(small).toEqual(new Array<number>(10).fill(100));
    // 1 MiB takes the whole backlog in one fetch.
    const large = await consume(1_048_576);
    expect(large).toEqual([1_000]);
  });
});
