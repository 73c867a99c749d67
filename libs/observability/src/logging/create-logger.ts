import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import { REDACTED, redactionPaths } from './redaction';
import { serializeError } from './serialize-error';

export interface LoggerOptions {
  service: string;
  level?: LevelWithSilent;
  /** Where lines go; stdout when omitted. Tests pass a stream to read lines back. */
  destination?: DestinationStream;
}

/**
 * JSON logs, object first (`logger.info({ topic, offset }, 'processed')`), secrets redacted,
 * errors under `err` with their message, code and cause (never `unable to serialize`).
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactionPaths(), censor: REDACTED },
      serializers: { err: serializeError },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

export type { Logger };
