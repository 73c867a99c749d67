import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, configProblems } from './config-error';
import { parseConfig } from './parse-config';
import { alertmanagerSettings, commonSettings, jsonSetting, kafkaSettings } from './settings';
import { settingsFileFor } from './settings-file';

const ownSettings = {
  FEATURE_ENABLED: z.enum(['true', 'false']).default('false'),
  THRESHOLD: z.string().default('10%'),
  ACCOUNTS: jsonSetting('a JSON array').pipe(z.array(z.object({ id: z.string() }).strict())).optional(),
};
const schema = z.object({ ...commonSettings, ...kafkaSettings, ...alertmanagerSettings, ...ownSettings });
const sectionKeys = Object.keys(schema.shape);

describe('settings file (COSTWATCH_CONFIG / --config)', () => {
  let dir: string;
  let count = 0;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'costwatch-settings-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes the YAML and returns its path. */
  const file = (yaml: string): string => {
    const path = join(dir, `settings-${(count += 1)}.yaml`);
    writeFileSync(path, yaml);
    return path;
  };
  const load = (path: string, env: NodeJS.ProcessEnv = {}, configFlag?: string) =>
    parseConfig(schema, env, settingsFileFor({ section: 'detector', sectionKeys, env: { COSTWATCH_CONFIG: path, ...env }, configFlag }));
  const problems = (path: string, env: NodeJS.ProcessEnv = {}) => configProblems(() => load(path, env));

  const example = [
    'common:',
    '  KAFKA_BROKERS: [kafka-1:9092, kafka-2:9092]',
    '  KAFKA_MAX_ATTEMPTS: 7',
    '  ALERTMANAGER_URLS: http://am:9093',
    '  HTTP_PORT: 9000',
    'detector:',
    '  HTTP_PORT: 8083',
    '  FEATURE_ENABLED: true',
    '  THRESHOLD: 20%',
    '  ACCOUNTS:',
    '    - id: "0042"',
    'notifier:',
    '  HTTP_PORT: 8084',
    '  NOT_A_DETECTOR_SETTING: anything',
    '',
  ].join('\n');

  it('reads common, then its own section over it, as the environment would give the values', () => {
    const config = load(file(example));
    expect(config.KAFKA_BROKERS).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.KAFKA_MAX_ATTEMPTS).toBe(7);
    expect(config.HTTP_PORT).toBe(8083);
    expect(config.FEATURE_ENABLED).toBe('true');
    expect(config.THRESHOLD).toBe('20%');
    expect(config.ACCOUNTS).toEqual([{ id: '0042' }]);
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('lets the environment override the file, and an empty variable leaves the file’s value', () => {
    const config = load(file(example), { HTTP_PORT: '18083', KAFKA_MAX_ATTEMPTS: '' });
    expect(config.HTTP_PORT).toBe(18083);
    expect(config.KAFKA_MAX_ATTEMPTS).toBe(7);
  });

  it('takes --config over COSTWATCH_CONFIG', () => {
    const other = file('detector:\n  HTTP_PORT: 9999\n  KAFKA_BROKERS: k:1\n  ALERTMANAGER_URLS: http://am:9093\n');
    expect(load(file(example), {}, other).HTTP_PORT).toBe(9999);
  });

  it('refuses an unknown key of its own section, naming the key, the file and the line', () => {
    const path = file('common:\n  KAFKA_BROKERS: k:1\n  ALERTMANAGER_URLS: http://am:9093\n  HTTP_PORT: 1\ndetector:\n  FEATURE_ENABLD: true\n');
    expect(problems(path)).toEqual([`detector.FEATURE_ENABLD (${path}:6): unknown setting of the detector`]);
  });

  it('refuses in common a key that is not a setting every service shares, even one of its own', () => {
    const path = file('common:\n  KAFKA_BROKERS: k:1\n  KAFKA_BROKER: k:2\n  FEATURE_ENABLED: true\n');
    expect(problems(path)).toEqual([expect.stringMatching(new RegExp(`^common\\.KAFKA_BROKER \\(${path}:3\\): unknown setting in common`)), expect.stringMatching(/^common\.FEATURE_ENABLED \(.*:4\)/)]);
  });

  it('refuses an unknown section, naming it', () => {
    const path = file('detecter:\n  HTTP_PORT: 1\n');
    expect(problems(path)).toEqual([`detecter (${path}:1): unknown section; expected common, collector, baseline, detector, notifier`]);
  });

  it('leaves the other services’ sections to them', () => {
    expect(problems(file(example))).toEqual([]);
  });

  it('names the file and line of a bad value it gave, and not when the environment gave it', () => {
    const path = file('common:\n  KAFKA_BROKERS: k:1\n  ALERTMANAGER_URLS: http://am:9093\ndetector:\n  HTTP_PORT: eighty\n');
    expect(problems(path)).toEqual([expect.stringMatching(new RegExp(`^HTTP_PORT \\(${path}:5\\): `))]);
    expect(problems(path, { HTTP_PORT: 'ninety' })).toEqual([expect.stringMatching(/^HTTP_PORT: /)]);
    expect(problems(path, { HTTP_PORT: '8083' })).toEqual([]);
  });

  it('names the key inside a JSON setting written as YAML', () => {
    const path = file('common:\n  KAFKA_BROKERS: k:1\n  ALERTMANAGER_URLS: http://am:9093\n  HTTP_PORT: 1\ndetector:\n  ACCOUNTS:\n    - { id: a, role: admin }\n');
    expect(problems(path)).toEqual([expect.stringMatching(new RegExp(`^ACCOUNTS \\(${path}:6\\): Unrecognized key: "role" \\(at \\[0\\]\\)$`))]);
  });

  it('names the file and line of a syntax error and of a duplicate key', () => {
    const broken = file('detector:\n  HTTP_PORT: [1, 2\n  THRESHOLD: 3\n');
    expect(problems(broken)).toEqual([expect.stringMatching(new RegExp(`^COSTWATCH_CONFIG: .*\\(${broken}:\\d+\\)$`))]);
    const duplicate = file('detector:\n  HTTP_PORT: 1\n  HTTP_PORT: 2\n');
    expect(problems(duplicate)).toEqual([expect.stringMatching(new RegExp(`^COSTWATCH_CONFIG: Map keys must be unique.*\\(${duplicate}:3\\)$`))]);
  });

  it('names the setting that pointed at a missing file', () => {
    expect(problems(join(dir, 'missing.yaml'))).toEqual([`COSTWATCH_CONFIG: cannot read the settings file ${join(dir, 'missing.yaml')} (ENOENT)`]);
    expect(() => load(join(dir, 'missing.yaml'), {}, join(dir, 'missing-too.yaml'))).toThrow(/--config: cannot read the settings file .*missing-too\.yaml/);
  });

  it('treats an empty file, an empty section and an empty value as nothing set', () => {
    const env = { KAFKA_BROKERS: 'k:1', ALERTMANAGER_URLS: 'http://am:9093', HTTP_PORT: '1' };
    expect(load(file(''), env).THRESHOLD).toBe('10%');
    expect(load(file('detector:\ncommon:\n  LOG_LEVEL:\n'), env).LOG_LEVEL).toBe('info');
  });

  it('refuses a file that is not a mapping of sections', () => {
    expect(() => load(file('- HTTP_PORT: 1\n'))).toThrow(ConfigError);
    expect(() => load(file('detector: 8083\n'))).toThrow(/detector \(.*:1\): must be a mapping of settings/);
  });

  it('reads no file when neither --config nor COSTWATCH_CONFIG is set', () => {
    expect(settingsFileFor({ section: 'detector', sectionKeys, env: {} })).toBeUndefined();
    expect(settingsFileFor({ section: 'detector', sectionKeys, env: { COSTWATCH_CONFIG: '' } })).toBeUndefined();
  });
});
