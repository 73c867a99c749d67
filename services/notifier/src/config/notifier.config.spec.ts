import { resolve } from 'node:path';
import { ConfigError } from '@costwatch/config';
import { loadNotifierConfig } from './notifier.config';
import { parseDuration } from './duration';

/** config/settings.example.yaml, as shipped: it must load. */
const example = resolve(__dirname, '../../../../config/settings.example.yaml');

const env = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  MONGO_URL: 'mongodb://127.0.0.1:27017/',
  ALERTMANAGER_URLS: 'http://am-1:9093,http://am-2:9093',
  SYSLOG_HOST: '127.0.0.1',
};

function problems(patch: Record<string, string>): string[] {
  try {
    loadNotifierConfig({ ...env, ...patch });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.setting}: ${p.problem}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['4h', 14_400_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
  ])('%s = %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['4', '4 h', 'h', '-5m', '1.5h', ''])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('notifier config', () => {
  it('has sensible defaults', () => {
    const config = loadNotifierConfig(env);
    expect(config).toMatchObject({
      HTTP_PORT: 8084,
      NOTIFY_REPEAT_INTERVAL: 4 * 3_600_000,
      NOTIFY_FLAP_WINDOW: 6 * 3_600_000,
      NOTIFY_FLAP_THRESHOLD: 4,
      NOTIFY_SILENCES: [],
      NOTIFY_TIMEZONE: 'UTC',
      ALERTMANAGER_RESEND_INTERVAL: 60_000,
      SYSLOG_PROTOCOL: 'tcp',
      SYSLOG_FACILITY: 'local0',
    });
    expect(config.NOTIFY_QUIET_HOURS).toBeUndefined();
    expect(config.WEBHOOK_URL).toBeUndefined();
  });

  it('syslog: TCP on 514 by default, TLS on 6514, an explicit port wins', () => {
    expect(loadNotifierConfig(env)).toMatchObject({ SYSLOG_PROTOCOL: 'tcp', SYSLOG_PORT: 514 });
    expect(loadNotifierConfig({ ...env, SYSLOG_PROTOCOL: 'tls' })).toMatchObject({ SYSLOG_PROTOCOL: 'tls', SYSLOG_PORT: 6514 });
    expect(loadNotifierConfig({ ...env, SYSLOG_PROTOCOL: 'udp', SYSLOG_PORT: '5514' })).toMatchObject({ SYSLOG_PROTOCOL: 'udp', SYSLOG_PORT: 5514 });
  });

  it('syslog TLS files must exist, and a client certificate needs its key', () => {
    expect(problems({ SYSLOG_PROTOCOL: 'tls', SYSLOG_TLS_CA: '/nonexistent/ca.pem' })).toEqual(['SYSLOG_TLS_CA: no such file']);
    expect(problems({ SYSLOG_PROTOCOL: 'tls', SYSLOG_TLS_CERT: __filename })).toEqual(['SYSLOG_TLS_KEY: SYSLOG_TLS_CERT and SYSLOG_TLS_KEY go together']);
  });

  it('derives the group prefix from KAFKA_TOPIC_PREFIX unless KAFKA_GROUP_ID is set', () => {
    expect(loadNotifierConfig(env).KAFKA_GROUP_ID).toBe('costwatch-notifier');
    expect(loadNotifierConfig({ ...env, KAFKA_TOPIC_PREFIX: 'staging.' }).KAFKA_GROUP_ID).toBe('staging.costwatch-notifier');
    expect(loadNotifierConfig({ ...env, KAFKA_TOPIC_PREFIX: 'staging.', KAFKA_GROUP_ID: 'mine' }).KAFKA_GROUP_ID).toBe('mine');
  });

  it('parses quiet hours, days, time zone, silences and durations', () => {
    const config = loadNotifierConfig({
      ...env,
      NOTIFY_QUIET_HOURS: '22:00-07:00',
      NOTIFY_QUIET_DAYS: 'Sat,Sun',
      NOTIFY_TIMEZONE: 'Asia/Seoul',
      NOTIFY_REPEAT_INTERVAL: '90m',
      NOTIFY_SILENCES: JSON.stringify([
        { matchers: ['project=sandbox', 'service=~"gpu-.*"'], startsAt: '2026-11-01T00:00:00Z', endsAt: '2026-11-02T00:00:00Z', comment: 'load test' },
        { matchers: ['domain!=prod'] },
      ]),
    });
    expect(config.NOTIFY_QUIET_HOURS).toEqual({ start: 1320, end: 420 });
    expect([...(config.NOTIFY_QUIET_DAYS ?? [])]).toEqual(['Sat', 'Sun']);
    expect(config.NOTIFY_REPEAT_INTERVAL).toBe(5_400_000);
    expect(config.NOTIFY_SILENCES).toEqual([
      {
        matchers: [
          { name: 'project', operator: '=', value: 'sandbox' },
          { name: 'service', operator: '=~', value: 'gpu-.*' },
        ],
        startsAt: Date.parse('2026-11-01T00:00:00Z'),
        endsAt: Date.parse('2026-11-02T00:00:00Z'),
        comment: 'load test',
      },
      { matchers: [{ name: 'domain', operator: '!=', value: 'prod' }] },
    ]);
  });

  it.each([
    ['NOTIFY_REPEAT_INTERVAL', '4', /NOTIFY_REPEAT_INTERVAL: must be a duration/],
    ['ALERTMANAGER_RESEND_INTERVAL', '2h', /ALERTMANAGER_RESEND_INTERVAL: must be between/],
    ['NOTIFY_FLAP_THRESHOLD', '1', /NOTIFY_FLAP_THRESHOLD/],
    ['NOTIFY_QUIET_HOURS', '22-7', /NOTIFY_QUIET_HOURS: "22" is not a time of day/],
    ['NOTIFY_QUIET_DAYS', 'Sat,Caturday', /NOTIFY_QUIET_DAYS: "Caturday" is not a day/],
    ['NOTIFY_TIMEZONE', 'Seoul', /NOTIFY_TIMEZONE: must be an IANA time zone/],
    ['NOTIFY_SILENCES', '{not json', /NOTIFY_SILENCES: must be a JSON array/],
    ['NOTIFY_SILENCES', '[{"matchers":["service=~\\"(\\""]}]', /NOTIFY_SILENCES[^:]*: .*invalid matcher/],
    ['NOTIFY_SILENCES', '[{"matchers":[]}]', /NOTIFY_SILENCES[^:]*: .*a silence needs at least one matcher/],
    ['NOTIFY_SILENCES', '[{"matchers":["a=b"],"startsAt":"2026-11-02T00:00:00Z","endsAt":"2026-11-01T00:00:00Z"}]', /NOTIFY_SILENCES[^:]*: .*startsAt must be before endsAt/],
    // A typo of an optional key would make the silence permanent: refused, naming the key.
    ['NOTIFY_SILENCES', '[{"matchers":["a=b"],"endAt":"2026-11-01T00:00:00Z"}]', /NOTIFY_SILENCES: Unrecognized key: "endAt" \(at \[0\]\)/],
    ['NOTIFY_QUIET_BYPASS_SEVERITY', 'fatal', /NOTIFY_QUIET_BYPASS_SEVERITY/],
    ['WEBHOOK_URL', 'not a url', /WEBHOOK_URL: must be an http\(s\) URL/],
    ['SLACK_WEBHOOK_URL', 'ftp://hooks.slack.example/x', /SLACK_WEBHOOK_URL: must be an http\(s\) URL/],
    ['SYSLOG_PROTOCOL', 'unix', /SYSLOG_PROTOCOL/],
  ])('%s=%j stops startup naming the setting', (setting, value, expected) => {
    expect(problems({ [setting]: value }).join('\n')).toMatch(expected);
  });

  it('never echoes a bad webhook URL back (it is a secret)', () => {
    expect(problems({ SLACK_WEBHOOK_URL: 'ftp://hooks.slack.example/T000/B000/SECRET' }).join('\n')).not.toContain('SECRET');
  });
});

describe('notifier config: the example settings file', () => {
  it('loads config/settings.example.yaml, its silences written as YAML', () => {
    const config = loadNotifierConfig({ COSTWATCH_CONFIG: example, MONGO_URL: 'mongodb://mongo:27017/' });
    expect(config).toMatchObject({ HTTP_PORT: 8084, SYSLOG_PORT: 514, SYSLOG_PROTOCOL: 'tcp', NOTIFY_TIMEZONE: 'Asia/Seoul', ALERTMANAGER_URLS: ['http://alertmanager-1:9093', 'http://alertmanager-2:9093'] });
    expect(config.NOTIFY_SILENCES).toEqual([expect.objectContaining({ comment: 'load test', endsAt: Date.parse('2027-01-01T00:00:00Z') })]);
  });
});
