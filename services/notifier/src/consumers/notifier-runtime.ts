import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { TopicNames } from '@costwatch/contracts';
import { EventPublisher, KafkaMetrics, TOPIC_NAMES } from '@costwatch/kafka';
import { ROOT_LOGGER, Readiness, keepTrying } from '@costwatch/observability';
import { SWEEP_JOB } from '../application/notifier-metrics';
import type { NotifierConfig } from '../config/notifier.config';
import { Notifier } from '../compose-notifier';
import { NOTIFIER_CONFIG } from '../infra/delivery-readiness';
import { SweepTimer } from '../infra/sweep-timer';
import { createAnomalyConsumer } from './anomaly.consumer';
import { createDailyTotalConsumer } from './daily-total.consumer';

/** What the runtime needs of an EventConsumer, whatever its schema. */
interface RunnableConsumer {
  readonly isReady: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the notifier in the background once Nest is up: MongoDB indexes, the two consumers
 * (KafkaModule creates their topics) and the periodic sweep. An unreachable dependency
 * keeps it retrying (and not ready) instead of crashing; shutdown stops consuming before
 * the clients close.
 */
@Injectable()
export class NotifierRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly abort = new AbortController();
  private readonly consumers: readonly RunnableConsumer[];
  private readonly sweeper: SweepTimer;
  private readonly logger: Logger;
  private started = false;
  /** Where MongoDB and Kafka are, for the retry logs (redacted there). */
  private readonly dependencies: { mongo: string; kafka: string };

  constructor(
    private readonly notifier: Notifier,
    kafka: Kafka,
    publisher: EventPublisher,
    kafkaMetrics: KafkaMetrics,
    readiness: Readiness,
    @Inject(NOTIFIER_CONFIG) config: NotifierConfig,
    @Inject(TOPIC_NAMES) topics: TopicNames,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'notifier' });
    this.dependencies = { mongo: config.MONGO_URL, kafka: config.KAFKA_BROKERS.join(',') };
    const retry = { maxAttempts: config.KAFKA_MAX_ATTEMPTS };
    const partitionsConcurrently = config.CONSUMER_PARTITIONS_CONCURRENTLY;
    const fetchMaxBytesPerPartition = config.KAFKA_FETCH_MAX_BYTES_PER_PARTITION;
    this.consumers = [
      createAnomalyConsumer(kafka, { topic: topics.anomalies, groupId: `${config.KAFKA_GROUP_ID}.anomalies`, retry, partitionsConcurrently, fetchMaxBytesPerPartition }, notifier.notifyAnomaly, publisher, logger, kafkaMetrics),
      createDailyTotalConsumer(kafka, { topic: topics.dailyTotals, groupId: `${config.KAFKA_GROUP_ID}.daily-totals`, retry, partitionsConcurrently, fetchMaxBytesPerPartition }, notifier.publishDailyTotal, publisher, logger, kafkaMetrics),
    ];
    this.sweeper = new SweepTimer(() => notifier.metrics.jobs.track(SWEEP_JOB, () => notifier.runSweep(this.logger)), config.ALERTMANAGER_RESEND_INTERVAL, this.logger);
    if (config.SYSLOG_PROTOCOL === 'udp') {
      this.logger.warn({ syslog: `${config.SYSLOG_HOST}:${config.SYSLOG_PORT}` }, 'SYSLOG_PROTOCOL=udp is lossy: lines sent while the receiver is down are lost and still count as delivered; use tcp');
    }
    readiness.add({
      name: 'notifier',
      check: () => {
        if (!this.started) return Promise.reject(new Error('starting (indexes, consumers)'));
        const waiting = this.consumers.filter((consumer) => !consumer.isReady).length;
        return waiting === 0 ? Promise.resolve() : Promise.reject(new Error(`${waiting} consumer(s) not in their group`));
      },
    });
  }

  onApplicationBootstrap(): void {
    void this.start();
  }

  private async start(): Promise<void> {
    const signal = this.abort.signal;
    await keepTrying('notifier indexes', () => this.notifier.ensureIndexes(), this.logger, { signal, target: this.dependencies.mongo });
    for (const consumer of this.consumers) {
      await keepTrying('notifier consumer', () => consumer.start(), this.logger, { signal, target: this.dependencies.kafka });
    }
    if (signal.aborted) return;
    this.sweeper.start();
    this.started = true;
    this.logger.info('notifier consuming');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.sweeper.stop();
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.notifier.close();
  }
}
