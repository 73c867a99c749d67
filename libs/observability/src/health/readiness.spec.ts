import { Readiness } from './readiness';

describe('Readiness', () => {
  it('is ready only when every check answers, and reports which one failed', async () => {
    const readiness = new Readiness();
    readiness.add({ name: 'kafka', check: () => Promise.resolve() });
    readiness.add({ name: 'mongo', check: () => Promise.reject(new Error('connection refused')) });
    const report = await readiness.report();
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({ kafka: { ok: true }, mongo: { ok: false, error: 'connection refused' } });
  });

  it('names the failing dependency by its redacted URL', async () => {
    const readiness = new Readiness();
    readiness.add({ name: 'mongo', target: 'mongodb://costwatch:s3cret@mongo:27017/costwatch', check: () => Promise.reject(new Error('connection refused')) });
    expect((await readiness.report()).checks['mongo']).toEqual({ ok: false, error: 'mongodb://mongo:27017/costwatch: connection refused' });
  });

  it('refuses two checks with one name', () => {
    const readiness = new Readiness();
    readiness.add({ name: 'kafka', check: () => Promise.resolve() });
    expect(() => readiness.add({ name: 'kafka', check: () => Promise.resolve() })).toThrow(/twice/);
  });
});
