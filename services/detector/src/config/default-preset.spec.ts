import { DEFAULT_PRESET } from '@costwatch/detection';
import { loadDetectorConfig } from './detector.config';

describe('the default preset', () => {
  it('is the one the evaluation output marks "default": true', () => {
    const config = loadDetectorConfig({ KAFKA_BROKERS: '127.0.0.1:9092', MONGO_URL: 'mongodb://127.0.0.1:27017/' });
    expect(config.DETECTION_PRESET).toBe(DEFAULT_PRESET);
  });
});
