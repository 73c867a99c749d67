import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaMetrics } from './kafka-metrics';
import { partitionLag } from './partition-backlog';

export interface ConsumerLagMonitorOptions {
  groupId: string;
  topic: string;
  /** Where the group starts on a partition it has never committed (as the consumer subscribes). */
  fromBeginning: boolean;
  intervalMs: number;
}

/** Every 30 s: two scrapes of a 15 s scrape interval see each value. */
export const DEFAULT_LAG_POLL_INTERVAL_MS = 30_000;

/**
 * Reports a consumer group's lag from the broker: per partition, the topic's end offset
 * minus the group's committed offset. The consumer itself only sees lag while batches
 * arrive; a group that has stalled (a handler stuck in retries, a crashed consumer, a
 * member that never joined) receives nothing, and this poll is what still shows its lag
 * growing. It costs one ListOffsets and one OffsetFetch request per interval.
 */
export class ConsumerLagMonitor {
  private admin: Admin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: ConsumerLagMonitorOptions,
    private readonly metrics: KafkaMetrics,
    private readonly logger: Logger,
  ) {}

  /** Polls now and then every interval; calling it again while running does nothing. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.pollOnce(), this.options.intervalMs);
    this.timer.unref();
    void this.pollOnce();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
    await this.admin?.disconnect();
    this.admin = undefined;
  }

  /** One poll (never two at once); failures are logged once per streak and retried next interval. */
  pollOnce(): Promise<void> {
    this.polling ??= this.poll()
      .then(
        () => {
          if (this.failing) this.logger.info('consumer lag poll recovered');
          this.failing = false;
        },
        (error: unknown) => {
          if (!this.failing) this.logger.warn({ err: error }, 'consumer lag poll failed; retrying every interval');
          this.failing = true;
        },
      )
      .finally(() => {
        this.polling = undefined;
      });
    return this.polling;
  }

  private async poll(): Promise<void> {
    const { groupId, topic, fromBeginning } = this.options;
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    for (const [partition, lag] of await partitionLag(this.admin, groupId, topic, fromBeginning)) {
      this.metrics.consumerLag.set({ group: groupId, topic, partition: String(partition) }, lag);
    }
  }
}
