import type { Consumer, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { deadLetterTopic } from '@costwatch/contracts';
import { NonRetriableError, errorMessage } from './errors';
import type { EventPublisher } from './event-publisher';
import { Headers, headerText } from './headers';
import type { KafkaMetrics } from './kafka-metrics';
import { backoffDelay, defaultRetryPolicy, type RetryPolicy } from './retry-policy';

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  correlationId: string | undefined;
  attempt: number;
  logger: Logger;
}

export type EventHandler<T> = (event: T, context: MessageContext) => Promise<void>;

export interface ConsumerOptions<S extends z.ZodTypeAny> {
  groupId: string;
  topic: string;
  schema: S;
  handle: EventHandler<z.output<S>>;
  retry?: Partial<RetryPolicy>;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
}

type DeadLetterReason = 'invalid' | 'non_retriable' | 'exhausted';

/**
 * A typed consumer: decodes and validates each message against its contract, hands it to
 * the handler, retries retriable failures with backoff, and dead-letters poison (invalid
 * payloads, non-retriable errors, exhausted retries) so a partition is never blocked.
 * The offset is committed only after the message is handled or safely dead-lettered.
 */
export class EventConsumer<S extends z.ZodTypeAny> {
  private readonly consumer: Consumer;
  private readonly policy: RetryPolicy;
  private readonly logger: Logger;
  private joined = false;
  private stopping = false;

  constructor(
    kafka: Kafka,
    private readonly options: ConsumerOptions<S>,
    private readonly deadLetters: EventPublisher,
    logger: Logger,
    private readonly metrics?: KafkaMetrics,
  ) {
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.logger = logger.child({ topic: options.topic, group: options.groupId });
    this.consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      this.logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
    });
  }

  /** True once the consumer has joined its group (used by readiness). */
  get isReady(): boolean {
    return this.joined;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachMessage: (payload) => this.onMessage(payload),
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const group = this.options.groupId;
    const stopTimer = this.metrics?.handlerDuration.startTimer({ topic, group });
    const decoded = this.decode(message);
    if (!decoded.ok) {
      this.metrics?.handlerErrors.inc({ topic, group, kind: 'invalid' });
      await this.deadLetter(topic, partition, message, 'invalid', decoded.reason, 1);
    } else {
      await this.handleWithRetries(topic, partition, message, decoded.event, heartbeat);
    }
    this.metrics?.consumed.inc({ topic, group });
    stopTimer?.();
  }

  private decode(message: KafkaMessage): { ok: true; event: z.output<S> } | { ok: false; reason: string } {
    if (message.value === null) return { ok: false, reason: 'empty message value (tombstone)' };
    let json: unknown;
    try {
      json = JSON.parse(message.value.toString('utf8'));
    } catch (error) {
      return { ok: false, reason: `not JSON: ${errorMessage(error)}` };
    }
    const result = this.options.schema.safeParse(json);
    if (!result.success) {
      const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      return { ok: false, reason: `failed validation: ${issues}` };
    }
    return { ok: true, event: result.data };
  }

  private async handleWithRetries(
    topic: string,
    partition: number,
    message: KafkaMessage,
    event: z.output<S>,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const group = this.options.groupId;
    const correlationId = headerText(message.headers, Headers.correlationId);
    for (let attempt = 1; ; attempt += 1) {
      const logger = this.logger.child({ partition, offset: message.offset, correlationId, attempt });
      try {
        await this.options.handle(event, { topic, partition, offset: message.offset, key: message.key?.toString() ?? null, correlationId, attempt, logger });
        return;
      } catch (error) {
        if (error instanceof NonRetriableError) {
          this.metrics?.handlerErrors.inc({ topic, group, kind: 'non_retriable' });
          await this.deadLetter(topic, partition, message, 'non_retriable', error.message, attempt);
          return;
        }
        this.metrics?.handlerErrors.inc({ topic, group, kind: 'retriable' });
        if (attempt >= this.policy.maxAttempts) {
          await this.deadLetter(topic, partition, message, 'exhausted', `${attempt} attempts failed; last: ${errorMessage(error)}`, attempt);
          return;
        }
        // Stopping mid-retry: leave the offset uncommitted so the next owner redelivers it.
        if (this.stopping) throw error;
        const delay = backoffDelay(this.policy, attempt);
        logger.warn({ err: error, delayMs: delay }, 'handler failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
        await heartbeat();
      }
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: DeadLetterReason,
    detail: string,
    attempts: number,
  ): Promise<void> {
    const headers: Record<string, Buffer | string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      const first = Array.isArray(value) ? value[0] : value;
      if (first !== undefined) headers[name] = first;
    }
    Object.assign(headers, {
      [Headers.dlqReason]: `${reason}: ${detail}`,
      [Headers.dlqOriginalTopic]: topic,
      [Headers.dlqOriginalPartition]: String(partition),
      [Headers.dlqOriginalOffset]: message.offset,
      [Headers.dlqConsumerGroup]: this.options.groupId,
      [Headers.dlqAttempts]: String(attempts),
      [Headers.dlqFailedAt]: new Date().toISOString(),
    });
    // If this send fails, the error propagates: the offset stays uncommitted and the
    // message is redelivered, so poison is never dropped silently.
    await this.deadLetters.publishRaw(deadLetterTopic(topic), { key: message.key, value: message.value, headers });
    this.metrics?.deadLettered.inc({ topic, group: this.options.groupId, reason });
    this.logger.warn({ partition, offset: message.offset, reason, detail }, 'message dead-lettered');
  }
}
