import { Writable } from 'node:stream';
import { createLogger } from '../logging/create-logger';
import { keepTrying } from './keep-trying';

describe('keepTrying', () => {
  it('logs each failure with the error and the redacted URL of the dependency', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = createLogger({ service: 'test', destination });
    let attempts = 0;
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:27017'), { code: 'ECONNREFUSED' });
    await keepTrying(
      'indexes',
      () => (++attempts < 2 ? Promise.reject(new Error('server selection failed', { cause: refused })) : Promise.resolve()),
      logger,
      { target: 'mongodb://costwatch:s3cret@10.0.0.5:27017/costwatch?authSource=admin' },
    );
    expect(JSON.stringify(lines)).not.toContain('s3cret');
    expect(lines[0]).toMatchObject({
      level: 'warn',
      what: 'indexes',
      dependency: 'mongodb://10.0.0.5:27017/costwatch',
      msg: 'dependency unreachable at mongodb://10.0.0.5:27017/costwatch; retrying',
      err: { message: 'server selection failed', cause: { message: 'connect ECONNREFUSED 10.0.0.5:27017', code: 'ECONNREFUSED' } },
    });
    expect(lines[1]).toMatchObject({ level: 'info', msg: 'dependency reachable again', failures: 1 });
  });
});
