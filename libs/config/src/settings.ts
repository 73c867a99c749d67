import { existsSync } from 'node:fs';
import { z } from 'zod';

const hostPort = z.string().regex(/^[^\s:,]+:\d{1,5}$/, 'must be host:port');
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(item).min(1, 'must list at least one value'));

export const port = z.coerce.number().int().min(1).max(65535);

/** Settings every service has. */
export const commonSettings = {
  HTTP_PORT: port,
  /** Loopback by default; containers set 0.0.0.0. */
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export const kafkaSettings = {
  KAFKA_BROKERS: commaList(hostPort),
  KAFKA_CLIENT_ID: z.string().min(1).default('costwatch'),
  /** Prepended to every topic name, e.g. "staging." — lets environments share a cluster. */
  KAFKA_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/, 'may only contain letters, digits, ".", "_" and "-"').default(''),
  /** Deliveries of one message before it goes to the dead-letter topic. */
  KAFKA_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /**
   * Bytes a consumer fetches per partition at most. A consumer handles a whole fetch before
   * it fetches again, so this bounds how long a new message waits behind the ones before
   * it: about 130 billing records of 500 bytes per partition by default.
   */
  KAFKA_FETCH_MAX_BYTES_PER_PARTITION: z.coerce.number().int().min(1_024).max(10_485_760).default(65_536),
};

/** An optional consumer group id; unset, `withDefaultGroupIds` derives it from the topic prefix. */
export const groupIdSetting = z.string().min(1).optional();

/** A config whose group ids `K` are always set. */
export type WithGroupIds<C, K extends keyof C> = Readonly<Omit<C, K> & Record<K, string>>;

/**
 * Fills each unset consumer group id with `<KAFKA_TOPIC_PREFIX><name>`, so two deployments
 * sharing a broker under different prefixes never share (and rebalance) a group. A group
 * id that is set is used as given.
 */
export function withDefaultGroupIds<C extends { KAFKA_TOPIC_PREFIX: string }, K extends keyof C & string>(
  config: C,
  names: Readonly<Record<K, string>>,
): WithGroupIds<C, K> {
  const filled: Record<string, unknown> = { ...config };
  for (const [key, name] of Object.entries<string>(names)) filled[key] ??= `${config.KAFKA_TOPIC_PREFIX}${name}`;
  return Object.freeze(filled) as Omit<C, K> & Record<K, string>;
}

export const mongoSettings = {
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL'),
  MONGO_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a plain database name').default('costwatch'),
};

export const s3Settings = {
  S3_ENDPOINT: url.optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1),
  S3_SECRET_ACCESS_KEY: z.string().min(1),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name').default('costwatch-billing'),
};

export const alertmanagerSettings = {
  ALERTMANAGER_URLS: commaList(url),
};

const readableFile = z.string().refine((path) => existsSync(path), { message: 'no such file' });

export const syslogSettings = {
  SYSLOG_HOST: z.string().min(1),
  /** Default 514, or 6514 with `tls`. */
  SYSLOG_PORT: port.optional(),
  /**
   * `tcp` (RFC 6587 octet counting): a line counts as delivered once written to the
   * connection without error, and is retried otherwise. `tls` is the same over TLS
   * (RFC 5425). `udp` is lossy: a datagram nobody receives is lost without an error.
   */
  SYSLOG_PROTOCOL: z.enum(['udp', 'tcp', 'tls']).default('tcp'),
  /** `tls`: PEM file of the CA(s) that signed the receiver's certificate (default: the system's). */
  SYSLOG_TLS_CA: readableFile.optional(),
  /** `tls`: PEM certificate and key files, for receivers that authenticate their senders. */
  SYSLOG_TLS_CERT: readableFile.optional(),
  SYSLOG_TLS_KEY: readableFile.optional(),
  /** `tls`: the name the receiver's certificate must carry (default: SYSLOG_HOST). */
  SYSLOG_TLS_SERVERNAME: z.string().min(1).optional(),
};

/** The syslog port when SYSLOG_PORT is unset: 514 for udp and tcp, 6514 for tls (RFC 5425). */
export const defaultSyslogPort = (protocol: 'udp' | 'tcp' | 'tls'): number => (protocol === 'tls' ? 6514 : 514);

/**
 * A setting holding JSON (lists of accounts, silences, overrides): parsed here so the
 * caller only pipes the value into its own schema; unparsable text names what was expected.
 */
export function jsonSetting(expected: string, defaultText?: string) {
  const text = defaultText === undefined ? z.string() : z.string().default(defaultText);
  return text.transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `must be ${expected}: ${error instanceof Error ? error.message : String(error)}` });
      return z.NEVER;
    }
  });
}
