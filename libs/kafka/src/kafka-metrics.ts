import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Pipeline metrics shared by every consumer and producer of a service, on its own registry. */
export class KafkaMetrics {
  readonly consumed: Counter<'topic' | 'group'>;
  readonly produced: Counter<'topic'>;
  readonly deadLettered: Counter<'topic' | 'group' | 'reason'>;
  readonly handlerErrors: Counter<'topic' | 'group' | 'kind'>;
  readonly handlerDuration: Histogram<'topic' | 'group'>;
  readonly consumerLag: Gauge<'group' | 'topic' | 'partition'>;

  constructor(registry: Registry) {
    this.consumed = new Counter({
      name: 'costwatch_messages_consumed_total',
      help: 'Messages taken from a topic and handled (successfully or sent to the DLQ).',
      labelNames: ['topic', 'group'],
      registers: [registry],
    });
    this.produced = new Counter({
      name: 'costwatch_messages_produced_total',
      help: 'Messages published to a topic.',
      labelNames: ['topic'],
      registers: [registry],
    });
    this.deadLettered = new Counter({
      name: 'costwatch_messages_dead_lettered_total',
      help: 'Messages sent to a dead-letter topic, by reason (invalid | non_retriable | exhausted).',
      labelNames: ['topic', 'group', 'reason'],
      registers: [registry],
    });
    this.handlerErrors = new Counter({
      name: 'costwatch_handler_errors_total',
      help: 'Failed handler attempts, by kind (invalid | non_retriable | retriable).',
      labelNames: ['topic', 'group', 'kind'],
      registers: [registry],
    });
    this.handlerDuration = new Histogram({
      name: 'costwatch_handler_duration_seconds',
      help: 'Time to handle one message, retries included.',
      labelNames: ['topic', 'group'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.consumerLag = new Gauge({
      name: 'costwatch_consumer_lag_messages',
      help: "Messages in a partition not yet handled by the consumer group: the partition's end offset minus the group's position.",
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    });
  }

  /** Zero series for a consumer, so rate() and increase() see its first message and first dead letter. */
  registerConsumer(topic: string, group: string): void {
    this.consumed.inc({ topic, group }, 0);
    for (const reason of deadLetterReasons) this.deadLettered.inc({ topic, group, reason }, 0);
  }
}

export const deadLetterReasons = ['invalid', 'non_retriable', 'exhausted'] as const;
export type DeadLetterReason = (typeof deadLetterReasons)[number];
