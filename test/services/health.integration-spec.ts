import { testEndpoints, uniqueName, waitFor } from '@costwatch/testing';
import { SERVICES, startService, type ServiceName, type ServiceProcess } from './service-process';

function serviceEnv(name: ServiceName, port: number): Record<string, string> {
  const e = testEndpoints();
  return {
    HTTP_PORT: String(port),
    LOG_LEVEL: 'info',
    KAFKA_BROKERS: e.kafkaBrokers.join(','),
    MONGO_URL: e.mongoUrl,
    MONGO_DB: uniqueName('health').replace(/-/g, '_'),
    S3_ENDPOINT: e.s3.endpoint,
    S3_REGION: e.s3.region,
    S3_ACCESS_KEY_ID: e.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: e.s3.secretAccessKey,
    S3_BUCKET: uniqueName('health'),
    ALERTMANAGER_URLS: e.alertmanagerUrl,
    SYSLOG_HOST: e.syslog.host,
    SYSLOG_PORT: String(e.syslog.port),
    SYSLOG_PROTOCOL: 'tcp',
  };
}

describe.each(SERVICES.map((name, index) => [name, 18181 + index] as const))('%s service', (name, port) => {
  let service: ServiceProcess;

  beforeAll(() => {
    service = startService(name, serviceEnv(name, port));
  });

  afterAll(async () => {
    if (service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });

  it('answers /health/live, becomes ready against the real dependencies, and serves /metrics', async () => {
    const base = `http://127.0.0.1:${port}`;
    const live = await waitFor(() => fetch(`${base}/health/live`), `${name} to listen (output: ${service.output().slice(-2000)})`, 30_000, 200);
    expect(live.status).toBe(200);

    const ready = await waitFor(
      async () => {
        const response = await fetch(`${base}/health/ready`);
        return response.status === 200 ? ((await response.json()) as { checks: Record<string, { ok: boolean }> }) : undefined;
      },
      `${name} readiness`,
      60_000,
      250,
    );
    expect(Object.values(ready.checks).every((check) => check.ok)).toBe(true);

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain(`costwatch_process_resident_memory_bytes{service="${name}"}`);
  });

  it('shuts down cleanly on SIGTERM and never logs the S3 secret', async () => {
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.output()).not.toContain(testEndpoints().s3.secretAccessKey);
  });
});

describe('bad configuration', () => {
  it.each(SERVICES)('%s refuses to start and names the setting', async (name) => {
    const service = startService(name, { ...serviceEnv(name, 18199), KAFKA_BROKERS: 'kafka-without-port', HTTP_PORT: 'eighty' });
    expect(await service.exited).toBe(78);
    expect(service.output()).toContain('KAFKA_BROKERS: must be host:port');
    expect(service.output()).toContain('HTTP_PORT');
  });
});
