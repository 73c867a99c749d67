import { z } from 'zod';
import { ConfigError } from './config-error';
import { parseConfig } from './parse-config';
import { alertmanagerSettings, commonSettings, kafkaSettings } from './settings';

const schema = z.object({ ...commonSettings, ...kafkaSettings, ...alertmanagerSettings });
const valid = { HTTP_PORT: '8081', KAFKA_BROKERS: '127.0.0.1:9092, kafka:9092', ALERTMANAGER_URLS: 'http://a:9093,http://b:9093' };

describe('parseConfig', () => {
  it('parses typed values and applies defaults', () => {
    const config = parseConfig(schema, valid);
    expect(config.HTTP_PORT).toBe(8081);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', 'kafka:9092']);
    expect(config.ALERTMANAGER_URLS).toHaveLength(2);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.KAFKA_MAX_ATTEMPTS).toBe(5);
  });

  it('names a missing setting', () => {
    const { KAFKA_BROKERS: _omitted, ...env } = valid;
    expect(() => parseConfig(schema, env)).toThrow('KAFKA_BROKERS: is required but not set');
  });

  it('treats an empty value as unset', () => {
    expect(() => parseConfig(schema, { ...valid, KAFKA_BROKERS: '' })).toThrow(/KAFKA_BROKERS/);
  });

  it('names every bad setting at once', () => {
    try {
      parseConfig(schema, { ...valid, HTTP_PORT: 'eighty', KAFKA_BROKERS: 'no-port', ALERTMANAGER_URLS: 'ftp://x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const settings = (error as ConfigError).problems.map((p) => p.setting.split('.')[0]);
      expect(settings).toEqual(expect.arrayContaining(['HTTP_PORT', 'KAFKA_BROKERS', 'ALERTMANAGER_URLS']));
      expect((error as ConfigError).message).not.toContain('is required');
    }
  });
});
