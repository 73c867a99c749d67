import type { Consumer, EachBatchPayload, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { deadLetterTopic } from '@costwatch/contracts';
import { ConsumerLagMonitor, DEFAULT_LAG_POLL_INTERVAL_MS } from './consumer-lag-monitor';
import { NonRetriableError, errorMessage } from './errors';
import type { EventPublisher } from './event-publisher';
import { Headers, headerText } from './headers';
import type { DeadLetterReason, KafkaMetrics } from './kafka-metrics';
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

export interface BatchItem<T> {
  event: T;
  context: MessageContext;
}

/**
 * Handles many events at once (one database round trip for hundreds of records). If the
 * batch fails past its retries, each event is retried alone so only the poison goes to
 * the DLQ; a batch handler must therefore be idempotent, as every handler here is.
 */
export type BatchHandler<T> = (items: Array<BatchItem<T>>) => Promise<void | DeferredCommit>;

/**
 * Returned by a batch handler that keeps its effects in memory for a while (write-behind):
 * the batch's offsets are committed only once `durable` resolves, so a crash before that
 * redelivers the batch. If `durable` rejects, they are never committed by this member.
 * Needs `deferCommit: true` on the consumer.
 */
export interface DeferredCommit {
  durable: Promise<void>;
}

interface CommonConsumerOptions<S extends z.ZodTypeAny> {
  groupId: string;
  topic: string;
  schema: S;
  retry?: Partial<RetryPolicy>;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  /** Called whenever this member (re)joins its group, with the partitions it now owns. */
  onGroupJoin?: (partitions: number[]) => void;
  /** How often the group's lag is read from the broker (with metrics only); default 30 s. */
  lagPollIntervalMs?: number;
  /**
   * Bytes fetched per partition at most (default 64 KiB). kafkajs handles a whole fetch
   * before the next one, so under load a large fetch makes new messages wait for all the
   * messages fetched before them; a small one keeps that wait short.
   */
  fetchMaxBytesPerPartition?: number;
}

export const DEFAULT_FETCH_MAX_BYTES_PER_PARTITION = 65_536;

export type ConsumerOptions<S extends z.ZodTypeAny> = CommonConsumerOptions<S> &
  (
    | { handle: EventHandler<z.output<S>>; handleBatch?: never }
    | {
        handleBatch: BatchHandler<z.output<S>>;
        handle?: never;
        maxBatchSize?: number;
        /** Commit each batch when the handler's `DeferredCommit` resolves, not when it returns. */
        deferCommit?: boolean;
      }
  );

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
  private readonly lagMonitor: ConsumerLagMonitor | undefined;
  private joined = false;
  private stopping = false;
  /** Deferred commits per partition, chained so a partition's offset never moves back. */
  private readonly commits = new Map<number, Promise<void>>();
  /** Group generation as this member sees it (bumped on every join), and per partition the one whose commits failed. */
  private generation = 0;
  private readonly failedGeneration = new Map<number, number>();

  constructor(
    kafka: Kafka,
    private readonly options: ConsumerOptions<S>,
    private readonly deadLetters: EventPublisher,
    logger: Logger,
    private readonly metrics?: KafkaMetrics,
  ) {
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.logger = logger.child({ topic: options.topic, group: options.groupId });
    this.consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false, maxBytesPerPartition: options.fetchMaxBytesPerPartition ?? DEFAULT_FETCH_MAX_BYTES_PER_PARTITION });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      this.generation += 1;
      options.onGroupJoin?.(payload.memberAssignment[options.topic] ?? []);
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      this.logger.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
    });
    if (metrics) {
      metrics.registerConsumer(options.topic, options.groupId);
      this.lagMonitor = new ConsumerLagMonitor(
        kafka,
        { groupId: options.groupId, topic: options.topic, fromBeginning: options.fromBeginning ?? true, intervalMs: options.lagPollIntervalMs ?? DEFAULT_LAG_POLL_INTERVAL_MS },
        metrics,
        this.logger,
      );
    }
  }

  /** True once the consumer has joined its group (used by readiness). */
  get isReady(): boolean {
    return this.joined;
  }

  async start(): Promise<void> {
    // Before joining: a consumer that cannot join still has its lag reported.
    this.lagMonitor?.start();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning ?? true });
    const concurrency = this.options.partitionsConsumedConcurrently ?? 1;
    if (this.options.handleBatch) {
      const handleBatch = this.options.handleBatch;
      const maxBatchSize = this.options.maxBatchSize ?? 1_000;
      await this.consumer.run({
        partitionsConsumedConcurrently: concurrency,
        eachBatchAutoResolve: false,
        autoCommit: !this.deferCommit,
        eachBatch: (payload) => this.onBatch(payload, handleBatch, maxBatchSize),
      });
    } else {
      await this.consumer.run({ partitionsConsumedConcurrently: concurrency, eachMessage: (payload) => this.onMessage(payload) });
    }
  }

  private get deferCommit(): boolean {
    return 'deferCommit' in this.options && this.options.deferCommit === true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    // Deferred commits whose state is already durable still go out before leaving the group.
    await Promise.allSettled([...this.commits.values()]);
    await this.consumer.disconnect();
    await this.lagMonitor?.stop();
  }

  private async onBatch(payload: EachBatchPayload, handleBatch: BatchHandler<z.output<S>>, maxBatchSize: number): Promise<void> {
    const { batch, heartbeat, resolveOffset, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    const group = this.options.groupId;
    for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + maxBatchSize);
      const stopTimer = this.metrics?.handlerDuration.startTimer({ topic, group });
      const items: Array<BatchItem<z.output<S>> & { message: KafkaMessage }> = [];
      for (const message of chunk) {
        const decoded = this.decode(message);
        if (decoded.ok) {
          items.push({ event: decoded.event, message, context: this.contextFor(topic, partition, message, 1) });
        } else {
          this.metrics?.handlerErrors.inc({ topic, group, kind: 'invalid' });
          await this.deadLetter(topic, partition, message, 'invalid', decoded.reason, 1);
        }
      }
      const durable = items.length > 0 ? await this.handleBatchWithRetries(topic, partition, items, handleBatch, heartbeat) : [];
      const last = chunk[chunk.length - 1];
      if (last) resolveOffset(last.offset);
      if (this.deferCommit) {
        if (last) this.commitWhenDurable(topic, partition, last.offset, durable);
      } else {
        await commitOffsetsIfNecessary();
      }
      await heartbeat();
      this.metrics?.consumed.inc({ topic, group }, chunk.length);
      // The fetch's high watermark gives the lag between two broker polls, at no cost.
      if (last) this.metrics?.consumerLag.set({ group, topic, partition: String(partition) }, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last.offset) - 1n)));
      stopTimer?.();
    }
  }

  /** Commits up to `offset` once every promise in `durable` has resolved (and the partition's earlier commits). */
  private commitWhenDurable(topic: string, partition: number, offset: string, durable: ReadonlyArray<Promise<void>>): void {
    const generation = this.generation;
    const previous = this.commits.get(partition) ?? Promise.resolve();
    const next = previous
      .then(() => Promise.all(durable))
      .then(async () => {
        // After a failure, no later offset of this partition is committed until the member
        // rejoins (and fetches again from the last committed offset): it would skip records.
        if (this.failedGeneration.get(partition) === generation) return;
        await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
      })
      .catch((error: unknown) => {
        // Not durable (state dropped on a rebalance) or the commit itself failed (the group
        // moved on): the records are redelivered, which the handler must tolerate anyway.
        this.failedGeneration.set(partition, generation);
        this.logger.warn({ err: error, partition, offset }, 'deferred commit skipped; the batch will be redelivered');
      });
    this.commits.set(partition, next);
    void next.then(() => {
      if (this.commits.get(partition) === next) this.commits.delete(partition);
    });
  }

  /** Handles the batch; returns the durability promises of handlers that defer their commit. */
  private async handleBatchWithRetries(
    topic: string,
    partition: number,
    items: Array<BatchItem<z.output<S>> & { message: KafkaMessage }>,
    handleBatch: BatchHandler<z.output<S>>,
    heartbeat: () => Promise<void>,
  ): Promise<Array<Promise<void>>> {
    const group = this.options.groupId;
    for (let attempt = 1; ; attempt += 1) {
      try {
        // A fresh context per attempt (spreading one would make its lazy logger).
        const result = await handleBatch(items.map(({ event, context, message }) => ({ event, context: attempt === 1 ? context : this.contextFor(topic, partition, message, attempt) })));
        return result ? [result.durable] : [];
      } catch (error) {
        this.metrics?.handlerErrors.inc({ topic, group, kind: error instanceof NonRetriableError ? 'non_retriable' : 'retriable' });
        if (error instanceof NonRetriableError || attempt >= this.policy.maxAttempts) break;
        if (this.stopping) throw error;
        const delay = backoffDelay(this.policy, attempt);
        this.logger.warn({ err: error, partition, size: items.length, delayMs: delay }, 'batch failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
        await heartbeat();
      }
    }
    // The batch keeps failing: isolate the culprit by handling each event alone.
    this.logger.warn({ partition, size: items.length }, 'batch failed past its retries; handling events one by one');
    const durable: Array<Promise<void>> = [];
    for (const { event, message } of items) {
      await this.handleWithRetries(topic, partition, message, event, heartbeat, async (e, context) => {
        const result = await handleBatch([{ event: e, context }]);
        if (result) durable.push(result.durable);
      });
    }
    return durable;
  }

  /**
   * The handler's view of a message. Its child logger is made on first use: with redaction
   * configured, a pino child costs more than decoding the message, and most handlers of a
   * batch never log per message.
   */
  private contextFor(topic: string, partition: number, message: KafkaMessage, attempt: number): MessageContext {
    const correlationId = headerText(message.headers, Headers.correlationId);
    const parent = this.logger;
    let logger: Logger | undefined;
    return {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      correlationId,
      attempt,
      get logger(): Logger {
        logger ??= parent.child({ partition, offset: message.offset, correlationId, attempt });
        return logger;
      },
    };
  }

  private async onMessage({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const group = this.options.groupId;
    const stopTimer = this.metrics?.handlerDuration.startTimer({ topic, group });
    const decoded = this.decode(message);
    if (!decoded.ok) {
      this.metrics?.handlerErrors.inc({ topic, group, kind: 'invalid' });
      await this.deadLetter(topic, partition, message, 'invalid', decoded.reason, 1);
    } else {
      const handle = this.options.handle;
      if (!handle) throw new Error('EventConsumer without a handler');
      await this.handleWithRetries(topic, partition, message, decoded.event, heartbeat, handle);
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
    handle: EventHandler<z.output<S>>,
  ): Promise<void> {
    const group = this.options.groupId;
    for (let attempt = 1; ; attempt += 1) {
      const context = this.contextFor(topic, partition, message, attempt);
      const logger = context.logger;
      try {
        await handle(event, context);
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
