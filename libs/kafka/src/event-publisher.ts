import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { z } from 'zod';
import { Headers } from './headers';
import type { KafkaMetrics } from './kafka-metrics';

export interface OutgoingEvent<T> {
  key: string;
  event: T;
  headers?: Record<string, string>;
}

/**
 * Publishes enveloped events, validating each against its contract first so a producer bug
 * fails here, loudly, instead of poisoning every consumer downstream.
 */
export class EventPublisher {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly metrics?: KafkaMetrics,
  ) {
    // No broker-side idempotence: a retried send may duplicate a message, and consumers are
    // idempotent by construction (deterministic ids, upserts), which also covers replays.
    this.producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  async publish<S extends z.ZodType<{ type: string; correlationId?: string }>>(
    topic: string,
    schema: S,
    events: ReadonlyArray<OutgoingEvent<z.input<S>>>,
  ): Promise<void> {
    if (events.length === 0) return;
    const messages = events.map(({ key, event, headers }) => {
      const valid = schema.parse(event);
      return {
        key,
        value: JSON.stringify(valid),
        headers: {
          [Headers.eventType]: valid.type,
          ...(valid.correlationId ? { [Headers.correlationId]: valid.correlationId } : {}),
          ...headers,
        },
      };
    });
    await this.producer.send({ topic, messages, compression: CompressionTypes.None });
    this.metrics?.produced.inc({ topic }, messages.length);
  }

  /** For the dead-letter path: bytes and headers exactly as received, plus the reason. */
  async publishRaw(topic: string, message: { key: Buffer | string | null; value: Buffer | null; headers: Record<string, Buffer | string> }): Promise<void> {
    await this.producer.send({ topic, messages: [message] });
    this.metrics?.produced.inc({ topic });
  }
}
