import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Producer } from 'kafkajs';
import type { Db, MongoClient } from 'mongodb';
import pino from 'pino';
import { BILLING_RECORD_EVENT, billingRecordId, createEnvelope, deadLetterTopic, seriesKey, topicNames, type BillingRecord } from '@costwatch/contracts';
import { Headers, createKafka, ensureTopics } from '@costwatch/kafka';
import { Collections, connectMongo } from '@costwatch/mongo';
import { collectMessages, testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { AppModule } from '../../services/baseline/src/app.module';
import { loadBaselineConfig } from '../../services/baseline/src/config/baseline.config';

const HOUR_MS = 3_600_000;
const DAY = '2026-10-05';
const DAY_START = Date.parse(`${DAY}T00:00:00Z`);

type Fields = Omit<BillingRecord, 'id'>;

function fields(serviceId: string, hour: number, patch: Partial<Fields> = {}): Fields {
  const start = DAY_START + hour * HOUR_MS;
  return {
    source: 'synthetic',
    domainId: 'd1',
    projectId: 'p1',
    serviceId,
    serviceName: serviceId,
    granularity: 'HOURLY',
    periodStart: new Date(start).toISOString(),
    periodEnd: new Date(start + HOUR_MS).toISOString(),
    currency: 'USD',
    amount: '1.25',
    collectedAt: new Date(start + 2 * HOUR_MS).toISOString(),
    ...patch,
  };
}

/** A record whose id is the one its fields give, so only the rule under test is broken. */
const withId = (f: Fields): BillingRecord => ({ ...f, id: billingRecordId(f) });

/** The message value: the event as JSON, optionally edited as text (keys JSON.stringify would never write). */
const eventJson = (record: BillingRecord, edit: (json: string) => string = (json) => json): string => edit(JSON.stringify(createEnvelope(BILLING_RECORD_EVENT, 'hostile-test', record)));

interface HostileCase {
  name: string;
  /** What the dead-letter reason must say. */
  reason: string;
  value: (i: number) => string;
}

const svc = (name: string, i: number) => `${name}-${i}`;
const control = withId(fields('control', 3));

/** Each kind of hostile record the issue observed getting in, and a few more. */
const CASES: HostileCase[] = [
  { name: 'negative zero', reason: 'amount: negative zero', value: (i) => eventJson(withId(fields(svc('neg0', i), 1, { amount: '-0' }))) },
  { name: 'negative usage', reason: 'amount: negative amount on a Usage record', value: (i) => eventJson(withId(fields(svc('neg', i), 1, { amount: '-5.00' }))) },
  { name: 'negative explicit usage', reason: 'amount: negative amount on a Usage record', value: (i) => eventJson(withId(fields(svc('negu', i), 1, { amount: '-5.00', chargeCategory: 'Usage' }))) },
  { name: 'negative purchase', reason: 'amount: negative amount on a Purchase record', value: (i) => eventJson(withId(fields(svc('negp', i), 1, { amount: '-100', chargeCategory: 'Purchase' }))) },
  { name: '__proto__ in the payload', reason: 'payload.__proto__: prototype-polluting key', value: (i) => eventJson(withId(fields(svc('proto', i), 1)), (j) => j.replace('"payload":{', '"payload":{"__proto__":{"isAdmin":true},')) },
  { name: 'constructor in the payload', reason: 'payload.constructor: prototype-polluting key', value: (i) => eventJson(withId(fields(svc('ctor', i), 1)), (j) => j.replace('"payload":{', '"payload":{"constructor":{"prototype":{"x":1}},')) },
  { name: '__proto__ in the tags', reason: 'payload.tags.__proto__: prototype-polluting key', value: (i) => eventJson(withId(fields(svc('tagproto', i), 1, { tags: { team: 'a' } })), (j) => j.replace('"tags":{', '"tags":{"__proto__":"x",')) },
  { name: '__proto__ in the envelope', reason: '__proto__: prototype-polluting key', value: (i) => eventJson(withId(fields(svc('envproto', i), 1)), (j) => j.replace('{', '{"__proto__":{"polluted":true},')) },
  { name: 'prototype in the envelope', reason: 'prototype: prototype-polluting key', value: (i) => eventJson(withId(fields(svc('envprototype', i), 1)), (j) => j.replace('{', '{"prototype":{},')) },
  { name: 'currency XXX', reason: 'currency: "XXX" is not an ISO 4217 currency', value: (i) => eventJson(withId(fields(svc('xxx', i), 1, { currency: 'XXX' }))) },
  { name: 'currency ZZZ', reason: 'currency: "ZZZ" is not an ISO 4217 currency', value: (i) => eventJson(withId(fields(svc('zzz', i), 1, { currency: 'ZZZ' }))) },
  { name: 'currency XTS', reason: 'currency: "XTS" is not an ISO 4217 currency', value: (i) => eventJson(withId(fields(svc('xts', i), 1, { currency: 'XTS' }))) },
  {
    name: 'period in 2099',
    reason: 'periodStart: starts',
    value: (i) => eventJson(withId(fields(svc('y2099', i), 0, { periodStart: '2099-09-01T00:00:00.000Z', periodEnd: '2099-09-01T01:00:00.000Z' }))),
  },
  {
    name: 'period and collection in 9999',
    reason: "collectedAt: is",
    value: (i) => eventJson(withId(fields(svc('y9999', i), 0, { periodStart: '9999-12-30T00:00:00.000Z', periodEnd: '9999-12-30T01:00:00.000Z', collectedAt: '9999-12-30T02:00:00.000Z' }))),
  },
  {
    name: 'period in 1970',
    reason: 'periodStart: starts before 2000-01-01',
    value: (i) => eventJson(withId(fields(svc('y1970', i), 0, { periodStart: '1970-01-01T00:00:00.000Z', periodEnd: '1970-01-01T01:00:00.000Z', collectedAt: '1970-01-01T02:00:00.000Z' }))),
  },
  {
    name: 'period 16 years before its collection',
    reason: 'days before the record was collected',
    value: (i) => eventJson(withId(fields(svc('ancient', i), 0, { periodStart: '2010-10-05T00:00:00.000Z', periodEnd: '2010-10-05T01:00:00.000Z' }))),
  },
  { name: 'forged id', reason: "id: does not match the record's fields", value: (i) => eventJson({ ...withId(fields(svc('forged', i), 1)), id: (i.toString(16) + 'f'.repeat(32)).slice(0, 32) }) },
  { name: "another record's id", reason: "id: does not match the record's fields", value: (i) => eventJson({ ...withId(fields(svc('stolen', i), 3, { amount: '999' })), id: control.id }) },
  {
    name: 'AWS account id too long',
    reason: 'domainId: 13 characters, more than the 12',
    value: (i) => eventJson(withId(fields(svc('aws', i), 1, { source: 'aws-cost-explorer', domainId: '1234567890123' }))),
  },
  { name: 'too many tags', reason: 'tags: 60 tags, more than the 50', value: (i) => eventJson(withId(fields(svc('tags', i), 1, { tags: Object.fromEntries(Array.from({ length: 60 }, (_, t) => [`k${t}`, 'v'])) }))) },
];
const PER_CASE = 15;

describe('hostile records on billing.records.v1 (real Kafka, MongoDB-wire, MinIO)', () => {
  const e = testEndpoints();
  const prefix = `${uniqueName('hostile')}.`;
  const topics = topicNames(prefix);
  const dbName = uniqueName('hostile').replace(/-/g, '_');
  const kafka = createKafka({ brokers: e.kafkaBrokers, clientId: 'hostile-test', logger: pino({ level: 'silent' }) });
  let producer: Producer;
  let app: INestApplicationContext | undefined;
  let mongo: { client: MongoClient; db: Db };

  beforeAll(async () => {
    await ensureTopics(kafka, [{ topic: topics.billingRecords, numPartitions: 3 }]);
    producer = kafka.producer();
    await producer.connect();
    mongo = await connectMongo(e.mongoUrl, dbName);
    const config = loadBaselineConfig({
      HTTP_PORT: '8182',
      LOG_LEVEL: 'silent',
      KAFKA_BROKERS: e.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      MONGO_URL: e.mongoUrl,
      MONGO_DB: dbName,
      S3_ENDPOINT: e.s3.endpoint,
      S3_REGION: e.s3.region,
      S3_ACCESS_KEY_ID: e.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: e.s3.secretAccessKey,
      S3_BUCKET: uniqueName('hostile'),
      AGGREGATOR_WRITE_BEHIND_MS: '0',
    });
    app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await producer?.disconnect();
    await mongo?.db.dropDatabase();
    await mongo?.client.close();
  });

  it('aggregates none of them and dead-letters each, from both consumer groups, with its reason', async () => {
    const hostile = CASES.flatMap((c, ci) => Array.from({ length: PER_CASE }, (_, i) => ({ key: `hostile-${ci}-${i}`, value: c.value(i), reason: c.reason })));
    // Hostile records first, then well-formed ones of one series behind them on its partition.
    await producer.send({ topic: topics.billingRecords, messages: hostile.map(({ key, value }) => ({ key, value })) });
    const valid = [control, withId(fields('control', 4)), withId(fields('control', 5, { amount: '0.75' }))];
    await producer.send({ topic: topics.billingRecords, messages: valid.map((r) => ({ key: seriesKey(r), value: eventJson(r) })) });

    const deadLetters = await collectMessages(kafka, deadLetterTopic(topics.billingRecords), 2 * hostile.length, 45_000);
    const byKey = new Map<string, Array<{ group: string; reason: string }>>();
    for (const message of deadLetters) {
      const key = message.key?.toString() ?? '';
      byKey.set(key, [...(byKey.get(key) ?? []), { group: message.headers?.[Headers.dlqConsumerGroup]?.toString() ?? '', reason: message.headers?.[Headers.dlqReason]?.toString() ?? '' }]);
    }
    const missing: string[] = [];
    for (const { key, reason } of hostile) {
      const letters = byKey.get(key) ?? [];
      const groups = letters.map((l) => l.group).sort();
      if (groups.join() !== [`${prefix}costwatch-aggregator`, `${prefix}costwatch-archiver`].sort().join() || !letters.every((l) => l.reason.startsWith('invalid: failed validation: ') && l.reason.includes(reason))) {
        missing.push(`${key}: ${JSON.stringify(letters)} (expected "${reason}")`);
      }
    }
    expect(missing).toEqual([]);
    expect(byKey.size).toBe(hostile.length);

    // The well-formed records behind them are aggregated; nothing else is.
    const daily = mongo.db.collection<{ _id: string; amount: string }>(Collections.daily);
    const docs = await waitFor(async () => {
      const found = await daily.find({}).toArray();
      return found.some((d) => d.amount === '3.25') ? found : undefined;
    }, 'the control series aggregated', 20_000);
    expect(docs.map((d) => [d._id, d.amount])).toEqual([[`${DAY}|d1|p1|control|USD`, '3.25']]);
  });
});
