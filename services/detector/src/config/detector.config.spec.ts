import { resolve } from 'node:path';
import { configProblems } from '@costwatch/config';
import { globalRuleSettings, loadDetectorConfig } from './detector.config';

/** config/settings.example.yaml, as shipped: it must load. */
const example = resolve(__dirname, '../../../../config/settings.example.yaml');

const base = { KAFKA_BROKERS: '127.0.0.1:9092', MONGO_URL: 'mongodb://127.0.0.1:27017/' };

const problemsOf = (env: Record<string, string>): string[] => configProblems(() => loadDetectorConfig({ ...base, ...env }));

describe('detector config', () => {
  it('defaults: billing preset, daily judgement on, resolve after 2 hours, group costwatch-detector', () => {
    const config = loadDetectorConfig(base);
    expect(config.DETECTION_PRESET).toBe('billing');
    expect(config.DETECTION_DAILY).toBe(true);
    expect(config.DETECTION_RESOLVE_AFTER_HOURS).toBe(2);
    expect(config.DETECTOR_GROUP_ID).toBe('costwatch-detector');
    expect(config.DETECTION_OVERRIDES).toEqual([]);
  });

  it('a bad expression stops startup naming DETECTION_RULE', () => {
    expect(problemsOf({ DETECTION_RULE: 'zz > 3' })).toEqual([expect.stringMatching(/^DETECTION_RULE: unknown score "zz"/)]);
  });

  it('a rule naming a score the service cannot compute (streaming state) stops startup, naming the setting and the score', () => {
    expect(problemsOf({ DETECTION_RULE: 'hst > 0.5' })).toEqual([expect.stringMatching(/^DETECTION_RULE: score "hst" need per-series streaming state/)]);
    expect(problemsOf({ DETECTION_RULE: 'z > 3 OR hst > 0.9' })[0]).toMatch(/^DETECTION_RULE: .*"hst"/);
    expect(problemsOf({ DETECTION_RULE: 'z > 3 OR ewmaZ > 4' })).toEqual([]);
    expect(problemsOf({ DETECTION_OVERRIDES: '[{"match":["project=p1"],"rule":"drift > 0"}]' })[0]).toMatch(/^DETECTION_OVERRIDES: .*"drift"/);
    expect(problemsOf({ DETECTION_PRESET: 'extreme' })).toEqual([]);
    expect(problemsOf({ DETECTION_PRESET: 'hst' })[0]).toMatch(/^DETECTION_PRESET: /);
  });

  it('a bad override names DETECTION_OVERRIDES', () => {
    expect(problemsOf({ DETECTION_OVERRIDES: '[{"match":["project=p1"],"rule":"z >"}]' })[0]).toMatch(/^DETECTION_OVERRIDES: /);
    expect(problemsOf({ DETECTION_OVERRIDES: '{' })[0]).toMatch(/^DETECTION_OVERRIDES: must be a JSON array/);
    expect(problemsOf({ DETECTION_OVERRIDES: '[{"match":["zone=a"]}]' })[0]).toMatch(/^DETECTION_OVERRIDES: .*unknown label/);
  });

  it('an unknown key in a JSON setting stops startup naming the setting and the key', () => {
    expect(problemsOf({ DETECTION_OVERRIDES: '[{"match":["project=p1"],"minAbsDelta":5},{"match":["project=p2"],"minAbsDelt":5}]' })).toEqual([
      'DETECTION_OVERRIDES: Unrecognized key: "minAbsDelt" (at [1])',
    ]);
    expect(problemsOf({ DETECTION_CURRENCY_UNITS: '{"KRW": 1300, "krw": 1300}' })).toEqual([expect.stringMatching(/^DETECTION_CURRENCY_UNITS: keys must be ISO 4217 codes such as "KRW" \(at krw\)$/)]);
    expect(problemsOf({ DETECTION_CURRENCY_UNITS: '{"KRW": "1300"}' })).toEqual([expect.stringMatching(/^DETECTION_CURRENCY_UNITS: .*\(at KRW\)$/)]);
    expect(problemsOf({ DETECTION_CURRENCY_UNITS: '[1300]' })).toEqual([expect.stringMatching(/^DETECTION_CURRENCY_UNITS: .*expected record/)]);
    expect(problemsOf({ DETECTION_CURRENCY_UNITS: '{KRW: 1300}' })).toEqual([expect.stringMatching(/^DETECTION_CURRENCY_UNITS: must be a JSON object such as/)]);
    expect(loadDetectorConfig({ ...base, DETECTION_CURRENCY_UNITS: '{"KRW": 1300, "XCG": 1.8}' }).DETECTION_CURRENCY_UNITS).toMatchObject({ KRW: 1300, XCG: 1.8, JPY: 150 });
  });

  it('parses floors, percentages and "off"', () => {
    const config = loadDetectorConfig({ ...base, DETECTION_MIN_ABS_DELTA: '10', DETECTION_MIN_REL_DELTA: '20%', DETECTION_FIRST_SEEN_MIN: 'off', DETECTION_PRESET: 'billing' });
    expect(globalRuleSettings(config)).toMatchObject({ preset: 'billing', minAbsDelta: 10, minRelDelta: 0.2, firstSeenMin: null });
    expect(problemsOf({ DETECTION_DROP_TO_ZERO_MIN: 'sometimes' })[0]).toMatch(/^DETECTION_DROP_TO_ZERO_MIN: /);
    expect(problemsOf({ DETECTION_SEVERITY_WARNING: '50', DETECTION_SEVERITY_CRITICAL: '10' })[0]).toMatch(/^DETECTION_SEVERITY_CRITICAL: /);
  });

  it('the group id carries KAFKA_TOPIC_PREFIX unless DETECTOR_GROUP_ID is set', () => {
    expect(loadDetectorConfig({ ...base, KAFKA_TOPIC_PREFIX: 'staging.' }).DETECTOR_GROUP_ID).toBe('staging.costwatch-detector');
    expect(loadDetectorConfig({ ...base, KAFKA_TOPIC_PREFIX: 'staging.', DETECTOR_GROUP_ID: 'mine' }).DETECTOR_GROUP_ID).toBe('mine');
  });
});

describe('detector config: the example settings file', () => {
  it('loads config/settings.example.yaml, its YAML overrides and currency units as the JSON settings', () => {
    const config = loadDetectorConfig({ COSTWATCH_CONFIG: example, MONGO_URL: 'mongodb://mongo:27017/' });
    expect(config).toMatchObject({ HTTP_PORT: 8083, DETECTION_PRESET: 'billing', DETECTION_MIN_REL_DELTA: 0.2 });
    expect(config.DETECTION_OVERRIDES).toHaveLength(1);
    expect(config.DETECTION_CURRENCY_UNITS['KRW']).toBe(1400);
  });
});
