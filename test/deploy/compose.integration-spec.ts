// docker-compose.yml validation without a Docker engine: `docker-compose config` parses,
// validates against the Compose schema and interpolates the file, which is all we can check
// here. docker-compose 1.29 has no `--format json` and no YAML library is installed, so the
// resolved config is checked as text, one service block at a time.
//
// docker-compose must be installed (tools/ci/ensure-docker-compose.sh does it); when it is
// missing these tests fail, they do not skip.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const composeFile = path.join(repoRoot, 'docker-compose.yml');

const costwatchServices = {
  collector: { port: 8081, needs: ['KAFKA_BROKERS'] },
  baseline: { port: 8082, needs: ['KAFKA_BROKERS', 'MONGO_URL', 'MONGO_DB', 'S3_ENDPOINT', 'S3_BUCKET'] },
  detector: { port: 8083, needs: ['KAFKA_BROKERS', 'MONGO_URL', 'MONGO_DB'] },
  notifier: {
    port: 8084,
    needs: ['KAFKA_BROKERS', 'MONGO_URL', 'MONGO_DB', 'ALERTMANAGER_URLS', 'SYSLOG_HOST', 'SYSLOG_PORT', 'SYSLOG_PROTOCOL'],
  },
} as const;

const expectedServices = [
  'alertmanager',
  'baseline',
  'collector',
  'detector',
  'grafana',
  'kafka',
  'kafka-init',
  'minio',
  'minio-init',
  'mongo',
  'notifier',
  'prometheus',
  'syslog',
];

/**
 * Runs docker-compose on the repo's compose file with a minimal environment, so that a
 * developer's shell (COMPOSE_FILE, S3_* overrides, ...) does not change what is validated.
 * Throws, with docker-compose's stderr, on a non-zero exit.
 */
function compose(...args: string[]): string {
  return execFileSync('docker-compose', ['-f', composeFile, '--project-directory', repoRoot, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', LANG: 'C.UTF-8' },
    timeout: 60_000,
  });
}

/** The lines of one service in `docker-compose config` output (services are indented by 2). */
function serviceBlock(resolved: string, name: string): string {
  const lines = resolved.split('\n');
  const servicesAt = lines.indexOf('services:');
  const start = lines.indexOf(`  ${name}:`, servicesAt);
  if (servicesAt < 0 || start < 0) throw new Error(`service ${name} not found in the resolved config`);
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.length > 0 && !line.startsWith('   ')) break; // next service or top-level key
    block.push(line);
  }
  return block.join('\n');
}

describe('docker-compose.yml', () => {
  let resolved = '';

  beforeAll(() => {
    try {
      execFileSync('docker-compose', ['version', '--short'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      throw new Error(
        'docker-compose is not available, so docker-compose.yml cannot be validated. ' +
          'Run tools/ci/ensure-docker-compose.sh (apt-get install docker-compose as root). ' +
          `Cause: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    resolved = compose('config');
  });

  it('passes `docker-compose config -q` (schema, interpolation, anchors)', () => {
    // execFileSync throws on a non-zero exit status, so returning at all means exit 0.
    expect(() => compose('config', '-q')).not.toThrow();
  });

  it('defines exactly the expected services, including the four costwatch services', () => {
    const services = compose('config', '--services')
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .sort();
    expect(services).toEqual(expectedServices);
    expect(services.length).toBeGreaterThanOrEqual(10);
    for (const name of Object.keys(costwatchServices)) expect(services).toContain(name);
  });

  describe.each(Object.entries(costwatchServices))('service %s', (name, spec) => {
    let block = '';
    beforeAll(() => {
      block = serviceBlock(resolved, name);
    });

    it('has a healthcheck and a restart policy', () => {
      expect(block).toMatch(/^ {4}healthcheck:$/m);
      expect(block).toMatch(/^ {6}test:$/m);
      expect(block).toMatch(/^ {4}restart: unless-stopped$/m);
    });

    it('reaches Kafka at kafka:9092 under its own client id', () => {
      expect(block).toMatch(/^ {6}KAFKA_BROKERS: kafka:9092$/m);
      expect(block).toMatch(new RegExp(`^ {6}KAFKA_CLIENT_ID: ${name}$`, 'm'));
    });

    it('gets the environment of each dependency it needs, and LOG_LEVEL / HTTP_PORT', () => {
      for (const key of [...spec.needs, 'LOG_LEVEL', 'HTTP_PORT']) {
        expect(block).toMatch(new RegExp(`^ {6}${key}: `, 'm'));
      }
      expect(block).toMatch(new RegExp(`^ {6}HTTP_PORT: '${spec.port}'$`, 'm'));
    });

    it('is built from the Dockerfile with SERVICE set, and publishes its port on 127.0.0.1', () => {
      expect(block).toMatch(/^ {6}dockerfile: Dockerfile$/m);
      expect(block).toMatch(new RegExp(`^ {8}SERVICE: ${name}$`, 'm'));
      expect(block).toContain(`- 127.0.0.1:${spec.port}:${spec.port}/tcp`);
    });

    it('waits for Kafka to be healthy', () => {
      expect(block).toMatch(/^ {6}kafka:\n {8}condition: service_healthy$/m);
    });
  });

  it('binds every published port to 127.0.0.1', () => {
    const portLines = resolved.split('\n').filter((line) => /^ {4}- .*\d+\/(tcp|udp)$/.test(line));
    expect(portLines.length).toBeGreaterThan(0);
    for (const line of portLines) expect(line).toMatch(/^ {4}- 127\.0\.0\.1:/);
  });

  it('pins every image to an explicit tag', () => {
    const images = [...resolved.matchAll(/^ {4}image: (.+)$/gm)].map((m) => m[1] ?? '');
    expect(images.length).toBeGreaterThanOrEqual(expectedServices.length);
    for (const image of images) {
      expect(image).toMatch(/:[^/]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });
});
