import type { Kafka, KafkaMessage } from 'kafkajs';
import { uniqueName } from './unique-name';
import { waitFor } from './wait-for';

/** Reads a topic from the beginning with a throwaway group until `count` messages arrived. */
export async function collectMessages(kafka: Kafka, topic: string, count: number, timeoutMs = 30_000): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('test-reader') });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        messages.push(message);
        return Promise.resolve();
      },
    });
    await waitFor(() => (messages.length >= count ? true : undefined), `${count} messages on ${topic}`, timeoutMs);
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
