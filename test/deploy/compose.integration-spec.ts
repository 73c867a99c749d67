// docker-compose.yml validation without a Docker engine: `docker-compose config` parses,
// validates against the Compose schema and interpolates the file, which is all we can run
// here. The resolved config is then read as YAML and checked for what a user of the stack
// would notice: each service reachable and healthy, Prometheus scraping the services it
// names, Grafana and Prometheus finding their provisioning and rules.
//
// docker-compose must be installed (tools/ci/ensure-docker-compose.sh does it); when it is
// missing these tests fail, they do not skip.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';

const repoRoot = path.resolve(__dirname, '..', '..');
const composeFile = path.join(repoRoot, 'docker-compose.yml');
const deploy = (...parts: string[]): string => path.join(repoRoot, 'deploy', ...parts);

const costwatchServices = {
  collector: { port: 8081, needs: ['KAFKA_BROKERS', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] },
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

/** A service as `docker-compose config` (1.29) prints it. */
interface ComposeService {
  image?: string;
  build?: { dockerfile?: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] };
  restart?: string;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  /** `source:target[:mode]`, with bind sources as absolute paths. */
  volumes?: string[];
}

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  static_configs: Array<{ targets: string[]; labels?: Record<string, string> }>;
}

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

/** Where a service mounts a host path (undefined when it does not). */
function mountTarget(service: ComposeService, hostPath: string): string | undefined {
  for (const volume of service.volumes ?? []) {
    const [source, target] = volume.split(':');
    if (source === hostPath) return target;
  }
  return undefined;
}

const readYaml = <T>(file: string): T => parseYaml(readFileSync(file, 'utf8')) as T;

describe('docker-compose.yml', () => {
  let services: Record<string, ComposeService> = {};
  const service = (name: string): ComposeService => {
    const found = services[name];
    if (!found) throw new Error(`service ${name} not found in the resolved config`);
    return found;
  };

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
    services = (parseYaml(compose('config')) as { services: Record<string, ComposeService> }).services;
  });

  it('passes `docker-compose config -q` (schema, interpolation, anchors)', () => {
    // execFileSync throws on a non-zero exit status, so returning at all means exit 0.
    expect(() => compose('config', '-q')).not.toThrow();
  });

  it('defines exactly the expected services, including the four costwatch services', () => {
    const names = compose('config', '--services')
      .split('\n')
      .map((s) => s.trim())
      .filter((s) => s.length > 0)
      .sort();
    expect(names).toEqual(expectedServices);
    expect(Object.keys(services).sort()).toEqual(expectedServices);
  });

  describe.each(Object.entries(costwatchServices))('service %s', (name, spec) => {
    const env = (): Record<string, string> => service(name).environment ?? {};

    it('has a restart policy and a healthcheck on /health/ready at 127.0.0.1:HTTP_PORT', () => {
      expect(service(name).restart).toBe('unless-stopped');
      const probe = (service(name).healthcheck?.test ?? []).join(' ');
      expect(probe).toContain("'http://127.0.0.1:'+process.env.HTTP_PORT+'/health/ready'");
    });

    it('listens on every interface of its container (HTTP_HOST=0.0.0.0), so Prometheus can scrape it', () => {
      // The default, 127.0.0.1, is unreachable from the prometheus container and from the
      // published port; the healthcheck above still reaches it on loopback.
      expect(env()['HTTP_HOST']).toBe('0.0.0.0');
    });

    it('reaches Kafka at kafka:9092 under its own client id', () => {
      expect(env()['KAFKA_BROKERS']).toBe('kafka:9092');
      expect(env()['KAFKA_CLIENT_ID']).toBe(name);
    });

    it('gets the environment of each dependency it needs, and LOG_LEVEL / HTTP_PORT', () => {
      for (const key of [...spec.needs, 'LOG_LEVEL', 'HTTP_PORT']) expect([key, env()[key]]).toEqual([key, expect.any(String)]);
      expect(env()['HTTP_PORT']).toBe(String(spec.port));
    });

    it('is built from the Dockerfile with SERVICE set, and publishes its port on 127.0.0.1', () => {
      expect(service(name).build?.dockerfile).toBe('Dockerfile');
      expect(service(name).build?.args?.['SERVICE']).toBe(name);
      expect(service(name).ports).toContain(`127.0.0.1:${spec.port}:${spec.port}/tcp`);
    });

    it('waits for Kafka to be healthy', () => {
      expect(service(name).depends_on?.['kafka']?.condition).toBe('service_healthy');
    });
  });

  it('binds every published port to 127.0.0.1', () => {
    const ports = Object.values(services).flatMap((s) => s.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it('pins every image to an explicit tag', () => {
    const images = Object.values(services).map((s) => s.image ?? '');
    expect(images).toHaveLength(expectedServices.length);
    for (const image of images) {
      expect(image).toMatch(/:[^/]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it('has Prometheus scrape each costwatch service at its compose name and HTTP_PORT, and load the mounted rules', () => {
    const prometheus = service('prometheus');
    expect(mountTarget(prometheus, deploy('prometheus', 'prometheus.yml'))).toBe('/etc/prometheus/prometheus.yml');
    expect(prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    const config = readYaml<{ rule_files: string[]; scrape_configs: ScrapeConfig[]; alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> } }>(
      deploy('prometheus', 'prometheus.yml'),
    );

    for (const [name, spec] of Object.entries(costwatchServices)) {
      const job = config.scrape_configs.find((c) => c.job_name === `costwatch-${name}`);
      expect([name, job?.metrics_path ?? '/metrics', job?.static_configs.flatMap((c) => c.targets)]).toEqual([name, '/metrics', [`${name}:${service(name).environment?.['HTTP_PORT']}`]]);
      expect(job?.static_configs[0]?.labels?.['component']).toBe(name);
      expect(service(name).environment?.['HTTP_PORT']).toBe(String(spec.port));
    }
    expect(config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets))).toEqual(['alertmanager:9093']);

    // rule_files are relative to the config file: rules/*.yml under /etc/prometheus.
    expect(config.rule_files).toEqual(['rules/*.yml']);
    expect(mountTarget(prometheus, deploy('prometheus', 'rules'))).toBe('/etc/prometheus/rules');
    expect(readdirSync(deploy('prometheus', 'rules')).filter((f) => f.endsWith('.yml'))).not.toHaveLength(0);
  });

  it('has Grafana provision the Prometheus datasource and the three dashboards from the mounted folders', () => {
    const grafana = service('grafana');
    expect(mountTarget(grafana, deploy('grafana', 'provisioning'))).toBe('/etc/grafana/provisioning');
    const datasources = readYaml<{ datasources: Array<{ uid: string; type: string; url: string }> }>(deploy('grafana', 'provisioning', 'datasources', 'prometheus.yml'));
    expect(datasources.datasources.map(({ uid, type, url }) => ({ uid, type, url }))).toEqual([{ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' }]);

    // The file provider reads the folder the dashboards are mounted at.
    const providers = readYaml<{ providers: Array<{ type: string; folder: string; options: { path: string } }> }>(deploy('grafana', 'provisioning', 'dashboards', 'costwatch.yml'));
    const dashboardsAt = mountTarget(grafana, deploy('grafana', 'dashboards'));
    expect(providers.providers.map(({ type, folder, options }) => ({ type, folder, path: options.path }))).toEqual([{ type: 'file', folder: 'costwatch', path: dashboardsAt }]);
    const dashboards = readdirSync(deploy('grafana', 'dashboards'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => (JSON.parse(readFileSync(deploy('grafana', 'dashboards', f), 'utf8')) as { uid: string }).uid)
      .sort();
    expect(dashboards).toEqual(['costwatch-detection-alerting', 'costwatch-overview', 'costwatch-pipeline']);
  });
});
