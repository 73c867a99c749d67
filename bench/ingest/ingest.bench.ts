/**
 * Ingest benchmark (not a test): records/s through collector → Kafka → aggregator → MongoDB,
 * next to the raw ceiling measured in the same run on the same servers:
 *   - plain kafkajs: produce the same records as JSON and consume them back (one group);
 *   - plain driver: bulk upserts (replaceOne by _id) of the same rows.
 * Run: npm run build && node dist/bench/ingest/ingest.bench.js [days] [--store-records]
 * (`--store-records` also measures the optional billing_records copy).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Partitioners } from 'kafkajs';
import { MongoClient } from 'mongodb';
import pino from 'pino';
import { topicNames, type BillingRecord } from '@costwatch/contracts';
import { EventPublisher, createKafka, ensureTopics, partitionLag } from '@costwatch/kafka';
import { Collections } from '@costwatch/mongo';
import { SyntheticBilling, expectedDailyTotals } from '@costwatch/synthetic';
import { PublishRecordsUseCase } from '../../services/collector/src/application/publish-records.use-case';
import { infraEndpoints } from '../infra-endpoints';

const endpoints = infraEndpoints(resolve(__dirname, '../../..'));
const endpoint = (name: string): string => {
  const value = endpoints[name];
  if (!value) throw new Error(`tools/infra/infra.mjs env printed no ${name}`);
  return value;
};
const brokers = endpoint('KAFKA_BROKERS').split(',');
const mongoUrl = endpoint('MONGO_URL');
const run = randomBytes(3).toString('hex');
const logger = pino({ level: 'silent' });

const args = process.argv.slice(2);
const storeRecords = args.includes('--store-records');
const days = Number(args.find((a) => !a.startsWith('--')) ?? 20);
const billing = new SyntheticBilling({ seed: 7, days, domains: 5, projectsPerDomain: 5, servicesPerProject: 8, anomalies: 10, warmupDays: Math.min(7, days - 2) });
const records: BillingRecord[] = [...billing.hours()].flatMap((h) => h.records);
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

async function rawKafka(): Promise<number> {
  const kafka = createKafka({ brokers, clientId: 'bench-raw', logger });
  const topic = `bench-${run}.raw`;
  await ensureTopics(kafka, [{ topic, numPartitions: 6 }], { withDeadLetter: false });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const started = Date.now();
  for (let i = 0; i < records.length; i += 500) {
    await producer.send({ topic, messages: records.slice(i, i + 500).map((r) => ({ key: `${r.domainId}|${r.projectId}|${r.serviceId}`, value: JSON.stringify(r) })) });
  }
  const consumer = kafka.consumer({ groupId: `bench-${run}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((done) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) JSON.parse(m.value?.toString() ?? 'null');
        seen += batch.messages.length;
        if (seen >= records.length) done();
      },
    });
  });
  const ms = Date.now() - started;
  await consumer.disconnect();
  await producer.disconnect();
  return ms;
}

async function rawMongo(): Promise<number> {
  const client = await MongoClient.connect(mongoUrl, { useBigInt64: true });
  const db = client.db(`bench_raw_${run}`);
  const collection = db.collection<{ _id: string }>('rows');
  const started = Date.now();
  for (let i = 0; i < records.length; i += 1_000) {
    await collection.bulkWrite(
      records.slice(i, i + 1_000).map(({ id, ...r }) => ({ replaceOne: { filter: { _id: id }, replacement: r, upsert: true } })),
      { ordered: false },
    );
  }
  const ms = Date.now() - started;
  await db.dropDatabase();
  await client.close();
  return ms;
}

async function pipeline(): Promise<{ ms: number; rssMb: number }> {
  const prefix = `bench-${run}.`;
  const dbName = `bench_${run}`;
  const kafka = createKafka({ brokers, clientId: 'bench-pipeline', logger });
  const topics = topicNames(prefix);
  await ensureTopics(kafka, [{ topic: topics.billingRecords, numPartitions: 6 }, { topic: topics.hourlySnapshots }, { topic: topics.dailyTotals }]);
  const service = spawn(process.execPath, [resolve(__dirname, '../../services/baseline/src/main.js')], {
    env: {
      AGGREGATOR_STORE_RECORDS: String(storeRecords),
      HTTP_PORT: '18399',
      LOG_LEVEL: 'warn',
      KAFKA_TOPIC_PREFIX: prefix,
      MONGO_DB: dbName,
      S3_BUCKET: `bench-${run}`,
      S3_ACCESS_KEY_ID: endpoint('S3_ACCESS_KEY_ID'),
      S3_SECRET_ACCESS_KEY: endpoint('S3_SECRET_ACCESS_KEY'),
      S3_ENDPOINT: endpoint('S3_ENDPOINT'),
      KAFKA_BROKERS: brokers.join(','),
      MONGO_URL: mongoUrl,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    const ready = await fetch('http://127.0.0.1:18399/health/ready').then((r) => r.ok).catch(() => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const useCase = new PublishRecordsUseCase(publisher, topics, 'bench');
  const expected = expectedDailyTotals(records);
  const client = await MongoClient.connect(mongoUrl);
  const daily = client.db(dbName).collection<{ _id: string; amount: string }>(Collections.daily);
  const admin = kafka.admin();
  await admin.connect();
  let rssMb = 0;
  const started = Date.now();
  await useCase.publishAll('synthetic', (async function* () {
    for (let i = 0; i < records.length; i += 2_000) yield { records: records.slice(i, i + 2_000), rejected: [] };
  })());
  // Done when the aggregator has committed every record (cheap to ask) and the totals are
  // exact (asked once the group has caught up, so polling does not load the database).
  for (;;) {
    rssMb = Math.max(rssMb, await processRssMb(service.pid));
    const lag = await partitionLag(admin, `${prefix}costwatch-aggregator`, topics.billingRecords);
    if ([...lag.values()].every((n) => n === 0)) {
      const docs = await daily.find({}, { projection: { amount: 1 } }).toArray();
      if (docs.length === expected.size && docs.every((d) => expected.get(d._id) === d.amount)) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const ms = Date.now() - started;
  service.kill('SIGTERM');
  await admin.disconnect();
  await publisher.disconnect();
  await client.db(dbName).dropDatabase();
  await client.close();
  return { ms, rssMb };
}

async function processRssMb(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function main(): Promise<void> {
  console.log(`records: ${records.length} (${days} days × ${billing.series.length} series); billing_records ${storeRecords ? 'on' : 'off'}`);
  const kafkaMs = await rawKafka();
  console.log(`raw kafkajs produce+consume : ${rate(records.length, kafkaMs)} records/s (${kafkaMs} ms)`);
  const mongoMs = await rawMongo();
  console.log(`raw driver bulk upserts     : ${rate(records.length, mongoMs)} records/s (${mongoMs} ms)`);
  const ceiling = Math.min(rate(records.length, kafkaMs), rate(records.length, mongoMs));
  const { ms, rssMb } = await pipeline();
  const pipelineRate = rate(records.length, ms);
  console.log(`pipeline (collector → Kafka → aggregator → MongoDB, totals exact): ${pipelineRate} records/s (${ms} ms), baseline service RSS max ${rssMb} MB`);
  console.log(`ratio to the raw ceiling (slower of the two raw paths, ${ceiling}/s): ${((pipelineRate / ceiling) * 100).toFixed(1)}%`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
