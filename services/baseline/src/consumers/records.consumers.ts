import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { billingRecordEventSchemaFor, type TopicNames } from '@costwatch/contracts';
import { EventConsumer, EventPublisher, KafkaMetrics, TOPIC_NAMES, partitionsWithBacklog, type BatchItem, type ConsumerOptions } from '@costwatch/kafka';
import { ROOT_LOGGER, Readiness, keepTrying } from '@costwatch/observability';
import { AggregateRecordsUseCase } from '../application/aggregate-records.use-case';
import { ArchiveRecordsUseCase } from '../application/archive-records.use-case';
import type { BacklogProbe } from '../application/day-clock';
import type { BaselineRole } from '../config/baseline.config';
import { CONSUMER_SETTINGS, type ConsumerSettings } from './consumer-settings';

type RecordEventSchema = ReturnType<typeof billingRecordEventSchemaFor>;
type RecordItem = BatchItem<z.output<RecordEventSchema>>;

const SHUTDOWN_WRITE_TIMEOUT_MS = 10_000;

/**
 * The archiver is off the path to an alert and writes one S3 part file per batch: large
 * fetches give few, large part files (the aggregator's fetches stay small, for latency).
 */
const ARCHIVER_FETCH_MAX_BYTES_PER_PARTITION = 1_048_576;

const toIncoming = (items: RecordItem[]) => items.map(({ event, context }) => ({ record: event.payload, partition: context.partition }));

/**
 * The baseline service's two consumer groups on billing.records.v1: the archiver (S3) and
 * the aggregator (MongoDB rollups, snapshots, day closing). Separate groups, so a slow S3
 * never holds back detection and each keeps its own committed offsets; BASELINE_ROLES
 * can run them in separate processes.
 */
@Injectable()
export class RecordsConsumers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumers: Array<EventConsumer<RecordEventSchema>>;
  private readonly abort = new AbortController();

  constructor(
    kafka: Kafka,
    publisher: EventPublisher,
    metrics: KafkaMetrics,
    private readonly aggregate: AggregateRecordsUseCase,
    archive: ArchiveRecordsUseCase,
    readiness: Readiness,
    @Inject(CONSUMER_SETTINGS) private readonly settings: ConsumerSettings,
    @Inject(TOPIC_NAMES) topics: TopicNames,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    const common = {
      topic: topics.billingRecords,
      // Structure and the record rules (ids, currencies, time window, signs, polluting keys):
      // a record that fails is dead-lettered with its reason by both groups, never archived or aggregated.
      schema: billingRecordEventSchemaFor(settings.recordPolicy),
      retry: { maxAttempts: settings.maxAttempts },
      fetchMaxBytesPerPartition: settings.fetchMaxBytesPerPartition,
      maxBatchSize: settings.batchSize,
      // Partitions hold disjoint series, so their batches can overlap their database round trips.
      partitionsConsumedConcurrently: settings.partitionsConcurrently,
    };
    const groups: Record<BaselineRole, ConsumerOptions<RecordEventSchema>> = {
      aggregator: { ...common, groupId: settings.aggregatorGroup, deferCommit: true, onGroupJoin: (owned) => aggregate.rejoined(owned, this.backlogProbe(kafka, settings.aggregatorGroup, topics.billingRecords)), handleBatch: (items) => aggregate.execute(toIncoming(items)) },
      archiver: { ...common, groupId: settings.archiverGroup, fetchMaxBytesPerPartition: Math.max(settings.fetchMaxBytesPerPartition, ARCHIVER_FETCH_MAX_BYTES_PER_PARTITION), onGroupJoin: (owned) => archive.rejoined(owned, this.backlogProbe(kafka, settings.archiverGroup, topics.billingRecords)), handleBatch: (items) => archive.execute(toIncoming(items)) },
    };
    this.consumers = settings.roles.map((role) => new EventConsumer(kafka, groups[role], publisher, logger, metrics));
    readiness.add({
      name: 'consumers',
      check: () => (this.consumers.every((c) => c.isReady) ? Promise.resolve() : Promise.reject(new Error('consumer groups not joined yet'))),
    });
  }

  private backlogProbe(kafka: Kafka, groupId: string, topic: string): BacklogProbe {
    return (partitions) =>
      partitionsWithBacklog(kafka, groupId, topic, partitions).catch((error: unknown) => {
        this.logger.warn({ err: error, groupId, topic }, "could not read the partitions' backlog; days stay open until it can be read");
        throw error;
      });
  }

  onApplicationBootstrap(): void {
    for (const consumer of this.consumers) {
      void keepTrying('records consumer', () => consumer.start(), this.logger, this.abort.signal);
    }
  }

  /** Before the MongoDB client and the Kafka clients close (their hooks run on shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    // Day documents still in memory are written, so their batches' commits go out before leaving.
    if (this.settings.roles.includes('aggregator')) await this.aggregate.close(SHUTDOWN_WRITE_TIMEOUT_MS);
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }
}
