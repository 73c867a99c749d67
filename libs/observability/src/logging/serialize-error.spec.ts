import { Writable } from 'node:stream';
import { createLogger } from './create-logger';
import { redactUrl } from './redact-url';
import { serializeError } from './serialize-error';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', destination }) };
}

/** Like the MongoDB driver's server-selection error: a topology full of cycles hangs on it. */
class ServerSelectionError extends Error {
  readonly reason: Record<string, unknown>;
  constructor(message: string, options: { cause?: unknown }) {
    super(message, options);
    const topology: Record<string, unknown> = { servers: new Map(), type: 'Unknown' };
    topology['self'] = topology;
    (topology['servers'] as Map<string, unknown>).set('127.0.0.1:27017', { topology, error: this });
    this.reason = topology;
  }
}

describe('error logging', () => {
  it('logs an error with circular properties with its message, code and cause, never "unable to serialize"', () => {
    const { lines, logger } = capture();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect', address: '127.0.0.1', port: 27017 });
    logger.warn({ what: 'mongo', err: new ServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', { cause: refused }) }, 'dependency unreachable; retrying');
    expect(JSON.stringify(lines)).not.toContain('unable to serialize');
    expect(lines[0]?.['err']).toMatchObject({
      type: 'ServerSelectionError',
      message: 'connect ECONNREFUSED 127.0.0.1:27017',
      cause: { type: 'Error', code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1', port: 27017 },
    });
    expect(lines[0]?.['err']).not.toHaveProperty('reason');
  });

  it('follows a cause chain that loops back to the error once', () => {
    const outer = new Error('outer', { cause: new Error('inner') });
    (outer.cause as Error).cause = outer;
    expect(serializeError(outer)).toMatchObject({ message: 'outer', cause: { message: 'inner', cause: '[circular: Error]' } });
  });

  it('keeps the errors of an AggregateError and non-Error causes as text', () => {
    const error = new AggregateError([new Error('a'), 'b'], 'all failed', { cause: { reason: 'x' } });
    expect(serializeError(error)).toMatchObject({ type: 'AggregateError', message: 'all failed', errors: [{ message: 'a' }, 'b'], cause: '{"reason":"x"}' });
  });
});

describe('redactUrl', () => {
  it.each([
    ['mongodb://costwatch:s3cret@mongo-0:27017,mongo-1:27017/costwatch?authSource=admin', 'mongodb://mongo-0:27017,mongo-1:27017/costwatch'],
    ['mongodb://127.0.0.1:39017/', 'mongodb://127.0.0.1:39017/'],
    ['https://user:token@s3.example.com/bucket?X-Amz-Signature=abc', 'https://s3.example.com/bucket'],
    ['kafka-0:9092,kafka-1:9092', 'kafka-0:9092,kafka-1:9092'],
  ])('%s → %s', (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });
});
