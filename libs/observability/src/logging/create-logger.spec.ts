import { Writable } from 'node:stream';
import { createLogger } from './create-logger';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('never writes secrets, at any depth, but keeps the rest', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ service: 'collector', destination });
    logger.info(
      {
        config: { S3_SECRET_ACCESS_KEY: 'minio-secret', S3_ACCESS_KEY_ID: 'costwatch' },
        source: { credential: { credentialSecret: 'kakao-secret', credentialId: 'cid' } },
        webhookUrl: 'https://hooks.slack.example/T000/B000/XXXX',
      },
      'starting',
    );
    const text = JSON.stringify(lines);
    expect(text).not.toContain('minio-secret');
    expect(text).not.toContain('kakao-secret');
    expect(text).not.toContain('hooks.slack.example');
    expect(lines[0]).toMatchObject({ service: 'collector', level: 'info', msg: 'starting' });
    expect(text).toContain('cid');
  });
});
