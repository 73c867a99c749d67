import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka, type Admin } from 'kafkajs';
import { topicNames, type TopicNames } from '@costwatch/contracts';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { ROOT_LOGGER, Readiness, keepTrying } from '@costwatch/observability';
import { createKafka } from './create-kafka';
import { ensureTopics } from './ensure-topics';
import { EventPublisher } from './event-publisher';
import { KafkaMetrics } from './kafka-metrics';

export interface KafkaModuleOptions {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic name (KAFKA_TOPIC_PREFIX). */
  topicPrefix: string;
  /** Topics this service produces or consumes; created (with their DLQs) at startup. */
  topics: Array<{ topic: keyof TopicNames; numPartitions?: number }>;
}

const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');

/** Injection token for the service's resolved topic names (prefix applied). */
export const TOPIC_NAMES = Symbol('TOPIC_NAMES');

/** Connects the shared producer in the background and reports the broker in readiness. */
@Injectable()
class KafkaLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly abort = new AbortController();
  private admin: Admin | undefined;
  private connected = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly publisher: EventPublisher,
    readiness: Readiness,
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaModuleOptions,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {
    readiness.add({ name: 'kafka', target: options.brokers.join(','), check: () => this.check() });
  }

  onApplicationBootstrap(): void {
    void keepTrying(
      'kafka',
      async () => {
        const names = topicNames(this.options.topicPrefix);
        await ensureTopics(this.kafka, this.options.topics.map(({ topic, numPartitions }) => ({ topic: names[topic], numPartitions })));
        await this.publisher.connect();
        this.connected = true;
      },
      this.logger,
      { signal: this.abort.signal, target: this.options.brokers.join(',') },
    );
  }

  private async check(): Promise<void> {
    if (!this.connected) throw new Error('producer not connected yet');
    this.admin ??= this.kafka.admin();
    await this.admin.connect();
    await this.admin.describeCluster();
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.admin?.disconnect();
    if (this.connected) await this.publisher.disconnect();
  }
}

@Module({})
export class KafkaModule {
  static forRoot(options: KafkaModuleOptions): DynamicModule {
    return {
      module: KafkaModule,
      global: true,
      providers: [
        { provide: KAFKA_OPTIONS, useValue: options },
        { provide: TOPIC_NAMES, useValue: topicNames(options.topicPrefix) },
        { provide: Kafka, useFactory: (logger: Logger) => createKafka({ brokers: options.brokers, clientId: options.clientId, logger }), inject: [ROOT_LOGGER] },
        { provide: KafkaMetrics, useFactory: (registry: Registry) => new KafkaMetrics(registry), inject: [Registry] },
        { provide: EventPublisher, useFactory: (kafka: Kafka, metrics: KafkaMetrics) => new EventPublisher(kafka, metrics), inject: [Kafka, KafkaMetrics] },
        KafkaLifecycle,
      ],
      exports: [Kafka, KafkaMetrics, EventPublisher, TOPIC_NAMES],
    };
  }
}
