import { existsSync, readFileSync } from 'node:fs';
import type { Admin, Kafka } from 'kafkajs';
import type { Db, MongoClient } from 'mongodb';
import pino from 'pino';
import { MS, billingRecordId, canonicalAmount, topicNames, type BillingRecord, type TopicNames } from '@costwatch/contracts';
import { SeededRandom } from '@costwatch/detection';
import { EventPublisher, createKafka, ensureTopics } from '@costwatch/kafka';
import { connectMongo } from '@costwatch/mongo';
import { testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { PublishRecordsUseCase } from '../../services/collector/src/application/publish-records.use-case';
import { startService, type ServiceName, type ServiceProcess } from '../services/service-process';

export type PipelineService = Exclude<ServiceName, 'collector'>;

export interface PipelineOptions {
  /** First of three consecutive HTTP ports (baseline, detector, notifier). */
  basePort: number;
  /** Extra env per service (e.g. detection rule settings, extra Alertmanager URLs). */
  env?: Partial<Record<PipelineService, Record<string, string>>>;
}

/**
 * The whole pipeline on the real servers, isolated: its own topic prefix, database, bucket
 * and consumer groups; baseline, detector and notifier run as built processes (as an
 * operator runs them) and the test publishes records through the collector's use case.
 */
export class PipelineHarness {
  readonly prefix = `${uniqueName('e2e')}.`;
  readonly topics: TopicNames = topicNames(this.prefix);
  readonly dbName = uniqueName('e2e').replace(/-/g, '_');
  readonly bucket = uniqueName('e2e');
  readonly groups = { aggregator: uniqueName('e2e-aggregator'), archiver: uniqueName('e2e-archiver'), detector: uniqueName('e2e-detector'), notifier: uniqueName('e2e-notifier') };
  readonly kafka: Kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: 'e2e-test', logger: pino({ level: 'silent' }) });
  readonly publisher = new EventPublisher(this.kafka);
  readonly collector = new PublishRecordsUseCase(this.publisher, this.topics, 'e2e-test');
  readonly services = new Map<PipelineService, ServiceProcess>();
  mongo!: { client: MongoClient; db: Db };
  private admin: Admin | undefined;

  constructor(private readonly options: PipelineOptions) {}

  port(service: PipelineService): number {
    return this.options.basePort + ['baseline', 'detector', 'notifier'].indexOf(service);
  }

  async start(): Promise<void> {
    await ensureTopics(this.kafka, [
      { topic: this.topics.billingRecords, numPartitions: 3 },
      { topic: this.topics.hourlySnapshots, numPartitions: 3 },
      { topic: this.topics.dailyTotals, numPartitions: 3 },
      { topic: this.topics.anomalies, numPartitions: 3 },
    ]);
    await this.publisher.connect();
    this.mongo = await connectMongo(testEndpoints().mongoUrl, this.dbName);
    await Promise.all((['baseline', 'detector', 'notifier'] as const).map((s) => this.startService(s)));
  }

  envFor(service: PipelineService): Record<string, string> {
    const e = testEndpoints();
    const common = {
      HTTP_PORT: String(this.port(service)),
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: e.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: this.prefix,
      MONGO_URL: e.mongoUrl,
      MONGO_DB: this.dbName,
    };
    const own: Record<PipelineService, Record<string, string>> = {
      baseline: {
        S3_ENDPOINT: e.s3.endpoint,
        S3_REGION: e.s3.region,
        S3_ACCESS_KEY_ID: e.s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: e.s3.secretAccessKey,
        S3_BUCKET: this.bucket,
        AGGREGATOR_GROUP_ID: this.groups.aggregator,
        ARCHIVER_GROUP_ID: this.groups.archiver,
        // Close a day as soon as every partition has moved past its midnight.
        DAY_CLOSE_GRACE_HOURS: '0',
      },
      detector: { DETECTOR_GROUP_ID: this.groups.detector, DETECTION_PENDING_RECHECK_MS: '250' },
      notifier: {
        KAFKA_GROUP_ID: this.groups.notifier,
        ALERTMANAGER_URLS: e.alertmanagerUrl,
        SYSLOG_HOST: e.syslog.host,
        SYSLOG_PORT: String(e.syslog.port),
        SYSLOG_PROTOCOL: 'tcp',
      },
    };
    return { ...common, ...own[service], ...(this.options.env?.[service] ?? {}) };
  }

  async startService(service: PipelineService): Promise<void> {
    // A leftover process on the port would answer the readiness probe in this one's place.
    if (await fetch(`http://127.0.0.1:${this.port(service)}/health/live`).catch(() => undefined)) {
      throw new Error(`port ${this.port(service)} for ${service} is already in use: stop the process listening there`);
    }
    const process = startService(service, this.envFor(service));
    this.services.set(service, process);
    await waitFor(
      async () => ((await fetch(`http://127.0.0.1:${this.port(service)}/health/ready`).catch(() => undefined))?.ok ? true : undefined),
      `${service} ready (output: ${process.output().slice(-1500)})`,
      60_000,
      200,
    );
  }

  async stopService(service: PipelineService): Promise<void> {
    const process = this.services.get(service);
    if (process && process.child.exitCode === null && process.child.signalCode === null) {
      process.child.kill('SIGTERM');
      await process.exited;
    }
    this.services.delete(service);
  }

  /** kill -9: the process gets no chance to flush, commit or leave its groups. */
  async kill(service: PipelineService): Promise<void> {
    const process = this.services.get(service);
    if (process && process.child.exitCode === null && process.child.signalCode === null) {
      process.child.kill('SIGKILL');
      await process.exited;
    }
    this.services.delete(service);
  }

  async publish(records: readonly BillingRecord[]): Promise<void> {
    await this.collector.publishAll('synthetic', (async function* () {
      for (let i = 0; i < records.length; i += 2_000) yield { records: records.slice(i, i + 2_000), rejected: [] };
    })());
  }

  async kafkaAdmin(): Promise<Admin> {
    if (!this.admin) {
      this.admin = this.kafka.admin();
      await this.admin.connect();
    }
    return this.admin;
  }

  /** True when `groupId` has committed every message of `topic`. */
  async caughtUp(groupId: string, topic: string): Promise<boolean> {
    const admin = await this.kafkaAdmin();
    const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    return ends.every((p) => Number(p.high) === 0 || (done.get(p.partition) ?? -1) >= Number(p.high));
  }

  /** Messages on a topic now (sum of partition high watermarks minus low). */
  async messageCount(topic: string): Promise<number> {
    const admin = await this.kafkaAdmin();
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  }

  async stop(): Promise<void> {
    for (const service of [...this.services.keys()]) await this.stopService(service);
    await this.admin?.disconnect();
    await this.publisher.disconnect();
    await this.mongo?.db.dropDatabase();
    await this.mongo?.client.close();
  }
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
}

/** Active alerts whose labels match `filter` (Alertmanager matchers, e.g. `domain="d1"`). */
export async function alertmanagerAlerts(...filters: string[]): Promise<AlertmanagerAlert[]> {
  const query = filters.map((f) => `filter=${encodeURIComponent(f)}`).join('&');
  const response = await fetch(`${testEndpoints().alertmanagerUrl}/api/v2/alerts?${query}`);
  if (!response.ok) throw new Error(`alertmanager answered ${response.status}`);
  return (await response.json()) as AlertmanagerAlert[];
}

/** rsyslog's file lines that contain `needle`. */
export function syslogLines(needle: string): string[] {
  const file = testEndpoints().syslog.file;
  if (!file) throw new Error('SYSLOG_FILE is not set: the e2e test reads what rsyslog wrote');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes(needle));
}

export interface SeriesSpec {
  projectId: string;
  serviceId: string;
  serviceName: string;
  /** Hourly cost in USD. */
  base: number;
}

export interface Spike {
  projectId: string;
  serviceId: string;
  /** Hours since the start. */
  hour: number;
  factor: number;
}

/**
 * Hourly records for `series` over `days` from `startMs`: each hour costs its base ± 2%
 * (bounded noise, so the seed rule never fires on it), except the spike hours.
 */
export function billingRecords(domainId: string, series: readonly SeriesSpec[], startMs: number, days: number, spikes: readonly Spike[] = [], seed = 7): BillingRecord[] {
  const random = new SeededRandom(seed);
  const records: BillingRecord[] = [];
  const collectedAt = new Date(startMs + days * MS.day).toISOString();
  for (let h = 0; h < days * 24; h += 1) {
    const periodStart = new Date(startMs + h * MS.hour).toISOString();
    const periodEnd = new Date(startMs + (h + 1) * MS.hour).toISOString();
    for (const s of series) {
      const spike = spikes.find((x) => x.hour === h && x.projectId === s.projectId && x.serviceId === s.serviceId);
      const value = s.base * (1 + (random.next() - 0.5) * 0.04) * (spike?.factor ?? 1);
      const identity = { source: 'synthetic' as const, domainId, projectId: s.projectId, serviceId: s.serviceId, periodStart, granularity: 'HOURLY' as const, currency: 'USD' };
      records.push({ ...identity, id: billingRecordId(identity), serviceName: s.serviceName, periodEnd, amount: canonicalAmount(value.toFixed(6)), collectedAt });
    }
  }
  return records;
}
