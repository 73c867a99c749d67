import { Inject, Injectable } from '@nestjs/common';
import { ANOMALY_EVENT, anomalyEventSchema, createEnvelope, type TopicNames } from '@costwatch/contracts';
import { EventPublisher, TOPIC_NAMES } from '@costwatch/kafka';
import type { AnomalyEventsPort, AnomalyNotice } from '../application/ports';

const PRODUCER = 'detector';

/** billing.anomalies.v1, keyed by series so a series' notices stay in order on one partition. */
@Injectable()
export class AnomalyEventsPublisher implements AnomalyEventsPort {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(TOPIC_NAMES) private readonly topics: TopicNames,
  ) {}

  async publish(notices: readonly AnomalyNotice[]): Promise<void> {
    await this.publisher.publish(
      this.topics.anomalies,
      anomalyEventSchema,
      notices.map(({ eventId, key, anomaly, correlationId }) => ({
        key,
        event: createEnvelope(ANOMALY_EVENT, PRODUCER, anomaly, { eventId, ...(correlationId ? { correlationId } : {}) }),
      })),
    );
  }
}
