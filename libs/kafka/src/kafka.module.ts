import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka, type Admin } from 'kafkajs';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { ROOT_LOGGER, Readiness, keepTrying } from '@costwatch/observability';
import { createKafka } from './create-kafka';
import { ensureTopics, type TopicSpec } from './ensure-topics';
import { EventPublisher } from './event-publisher';
import { KafkaMetrics } from './kafka-metrics';

export interface KafkaModuleOptions {
  brokers: string[];
  clientId: string;
  /** Topics this service produces or consumes; created (with their DLQs) at startup. */
  topics: TopicSpec[];
}

const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');

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
    readiness.add({ name: 'kafka', check: () => this.check() });
  }

  onApplicationBootstrap(): void {
    void keepTrying(
      'kafka',
      async () => {
        await ensureTopics(this.kafka, this.options.topics);
        await this.publisher.connect();
        this.connected = true;
      },
      this.logger,
      this.abort.signal,
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
        { provide: Kafka, useFactory: (logger: Logger) => createKafka({ brokers: options.brokers, clientId: options.clientId, logger }), inject: [ROOT_LOGGER] },
        { provide: KafkaMetrics, useFactory: (registry: Registry) => new KafkaMetrics(registry), inject: [Registry] },
        { provide: EventPublisher, useFactory: (kafka: Kafka, metrics: KafkaMetrics) => new EventPublisher(kafka, metrics), inject: [Kafka, KafkaMetrics] },
        KafkaLifecycle,
      ],
      exports: [Kafka, KafkaMetrics, EventPublisher],
    };
  }
}
