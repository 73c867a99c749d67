import type { Db, MongoClient } from 'mongodb';
import pino from 'pino';
import { topicNames, type BillingRecord, type TopicNames } from '@costwatch/contracts';
import { EventPublisher, createKafka, ensureTopics } from '@costwatch/kafka';
import { Collections, connectMongo } from '@costwatch/mongo';
import { S3Store } from '@costwatch/s3';
import { testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { PublishRecordsUseCase } from '../../services/collector/src/application/publish-records.use-case';
import { startService, type ServiceProcess } from '../services/service-process';

/**
 * An isolated ingest environment on the real servers: its own topic prefix, database and
 * bucket, a baseline service process, and a collector-side publisher.
 */
export class IngestHarness {
  readonly prefix = `${uniqueName('it')}.`;
  readonly topics: TopicNames = topicNames(this.prefix);
  readonly dbName = uniqueName('ingest').replace(/-/g, '_');
  readonly bucket = uniqueName('ingest');
  readonly kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: 'ingest-test', logger: pino({ level: 'silent' }) });
  readonly publisher = new EventPublisher(this.kafka);
  readonly collector = new PublishRecordsUseCase(this.publisher, this.topics, 'ingest-test');
  service: ServiceProcess | undefined;
  mongo!: { client: MongoClient; db: Db };
  s3!: S3Store;

  constructor(private readonly port: number) {}

  async start(): Promise<void> {
    const e = testEndpoints();
    await ensureTopics(this.kafka, [{ topic: this.topics.billingRecords, numPartitions: 6 }, { topic: this.topics.hourlySnapshots }, { topic: this.topics.dailyTotals }]);
    await this.publisher.connect();
    this.mongo = await connectMongo(e.mongoUrl, this.dbName);
    this.s3 = new S3Store({ ...e.s3, bucket: this.bucket });
    await this.startService();
  }

  async startService(): Promise<void> {
    const e = testEndpoints();
    this.service = startService('baseline', {
      HTTP_PORT: String(this.port),
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: e.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: this.prefix,
      MONGO_URL: e.mongoUrl,
      MONGO_DB: this.dbName,
      S3_ENDPOINT: e.s3.endpoint,
      S3_REGION: e.s3.region,
      S3_ACCESS_KEY_ID: e.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: e.s3.secretAccessKey,
      S3_BUCKET: this.bucket,
    });
    const service = this.service;
    await waitFor(
      async () => ((await fetch(`http://127.0.0.1:${this.port}/health/ready`).catch(() => undefined))?.ok ? true : undefined),
      `baseline service ready (output: ${service.output().slice(-1500)})`,
      60_000,
      250,
    );
  }

  async publish(records: readonly BillingRecord[]): Promise<void> {
    await this.collector.publishAll('synthetic', (async function* () {
      for (let i = 0; i < records.length; i += 2_000) yield { records: records.slice(i, i + 2_000), rejected: [] };
    })());
  }

  /** Daily totals as stored: `date|domain|project|service|currency` → exact amount. */
  async storedDailyTotals(): Promise<Map<string, string>> {
    const docs = await this.mongo.db.collection<{ _id: string; amount: string }>(Collections.daily).find({}, { projection: { amount: 1 } }).toArray();
    return new Map(docs.map((d) => [d._id, d.amount]));
  }

  /** Waits until the stored totals equal `expected` exactly, returning the last stored map. */
  async waitForTotals(expected: Map<string, string>, timeoutMs = 240_000): Promise<Map<string, string>> {
    let last = new Map<string, string>();
    try {
      await waitFor(
        async () => {
          last = await this.storedDailyTotals();
          if (last.size !== expected.size) return undefined;
          for (const [key, amount] of expected) if (last.get(key) !== amount) return undefined;
          return true;
        },
        'daily totals to match',
        timeoutMs,
        1_000,
      );
    } catch {
      // fall through: the caller's assertion shows the difference
    }
    return last;
  }

  async stop(): Promise<void> {
    if (this.service && this.service.child.exitCode === null) {
      this.service.child.kill('SIGTERM');
      await this.service.exited;
    }
    await this.publisher.disconnect();
    await this.mongo?.db.dropDatabase();
    await this.mongo?.client.close();
    this.s3?.destroy();
  }
}
