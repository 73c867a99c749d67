import type { Kafka } from 'kafkajs';
import type { Db, MongoClient } from 'mongodb';
import pino from 'pino';
import { Topics, billingRecordEventSchema, billingRecordId, createEnvelope, seriesKey, type BillingRecord } from '@costwatch/contracts';
import { EventConsumer, EventPublisher, createKafka, ensureTopics } from '@costwatch/kafka';
import { connectMongo } from '@costwatch/mongo';
import { S3Store } from '@costwatch/s3';
import { testEndpoints, uniqueName, waitFor } from '@costwatch/testing';

/**
 * One billing record, end to end over the real servers: published through libs/kafka,
 * consumed and validated, archived to S3 and stored in MongoDB, then read back from both.
 */
describe('billing record round trip: Kafka → S3 + MongoDB', () => {
  const logger = pino({ level: 'silent' });
  let kafka: Kafka;
  let publisher: EventPublisher;
  let consumer: EventConsumer<typeof billingRecordEventSchema>;
  let mongo: { client: MongoClient; db: Db };
  let s3: S3Store;

  beforeAll(async () => {
    const endpoints = testEndpoints();
    kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'roundtrip', logger });
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    mongo = await connectMongo(endpoints.mongoUrl, uniqueName('roundtrip').replace(/-/g, '_'));
    s3 = new S3Store({ ...endpoints.s3, bucket: uniqueName('roundtrip') });
    await s3.ensureBucket();
  });

  afterAll(async () => {
    await consumer.stop();
    await publisher.disconnect();
    await mongo.db.dropDatabase();
    await mongo.client.close();
    s3.destroy();
  });

  it('archives the exact record in S3 and stores it in MongoDB with exact money', async () => {
    const topic = `${Topics.billingRecords}.${uniqueName('t')}`;
    await ensureTopics(kafka, [{ topic, numPartitions: 3 }]);
    const identity = {
      source: 'focus' as const,
      domainId: 'acme',
      projectId: 'web',
      serviceId: 'AmazonEC2',
      periodStart: '2026-11-03T00:00:00Z',
      granularity: 'DAILY' as const,
      currency: 'USD',
    };
    const record: BillingRecord = {
      ...identity,
      id: billingRecordId(identity),
      serviceName: 'Amazon Elastic Compute Cloud',
      periodEnd: '2026-11-04T00:00:00Z',
      amount: '123456789.0000000001',
      collectedAt: '2026-11-04T01:00:00Z',
      tags: { team: 'web' },
    };

    const records = mongo.db.collection<{ _id: string; amount: string; amountNanos: bigint }>('billing_records');
    consumer = new EventConsumer(
      kafka,
      {
        groupId: uniqueName('roundtrip'),
        topic,
        schema: billingRecordEventSchema,
        handle: async ({ payload }) => {
          await s3.putText(`raw/${payload.id}.json`, JSON.stringify(payload));
          const [whole = '0', fraction = ''] = payload.amount.split('.');
          const amountNanos = BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
          await records.updateOne({ _id: payload.id }, { $set: { amount: payload.amount, amountNanos } }, { upsert: true });
        },
      },
      publisher,
      logger,
    );
    await consumer.start();
    await publisher.publish(topic, billingRecordEventSchema, [{ key: seriesKey(record), event: createEnvelope('billing.record', 'test', record) }]);

    const stored = await waitFor(() => records.findOne({ _id: record.id }).then((doc) => doc ?? undefined), 'the record in MongoDB');
    expect(stored.amount).toBe('123456789.0000000001');
    // Int64 round trip: beyond 2^53, a float would have lost the last digits.
    expect(stored.amountNanos).toBe(123456789000000000n);
    const archived = await waitFor(() => s3.getText(`raw/${record.id}.json`), 'the record in S3');
    expect(JSON.parse(archived)).toEqual(record);
  });
});
