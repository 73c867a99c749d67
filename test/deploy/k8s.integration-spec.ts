// Kubernetes manifests (deploy/k8s) validated without a cluster. Every kustomization is built
// with kustomize, and every rendered object is checked against the Kubernetes JSON schemas in
// strict mode (an unknown or misspelt field fails) by kubernetes-validate, whose PyPI package
// bundles the schemas, so nothing is fetched at test time. Then what a user would notice is
// asserted: probes on the port the service listens on, resources, every setting each
// service's config needs (the service's own config loader runs on the env the pod gets),
// CLI entry points that `npm run build` produces, Service selectors that select their pods.
//
// kustomize comes from tools/infra/infra.mjs (`go install` on first use); kubernetes-validate
// is installed once into a virtualenv in the costwatch cache. When either cannot be
// installed the tests fail, they do not skip.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '@costwatch/config';
import { baselineConfigSchema, loadBaselineConfig } from '../../services/baseline/src/config/baseline.config';
import {
  collectorCliConfigSchema,
  collectorConfigSchema,
  loadCollectorCliConfig,
  loadCollectorConfig,
  loadReplayArchiveConfig,
  replayArchiveConfigSchema,
} from '../../services/collector/src/config/collector.config';
import { detectorConfigSchema, loadDetectorConfig } from '../../services/detector/src/config/detector.config';
import { loadNotifierConfig, notifierConfigSchema } from '../../services/notifier/src/config/notifier.config';
import { loadReportCliConfig, reportCliConfigSchema } from '../../services/notifier/src/reports/report-cli.config';

const repoRoot = path.resolve(__dirname, '..', '..');
const k8sRoot = path.join(repoRoot, 'deploy', 'k8s');

/** kubernetes-validate bundles the schemas of many Kubernetes versions; check the oldest we support and the newest. */
const KUBERNETES_VALIDATE = { version: '1.37.0', kubernetes: ['1.30.0', '1.37.0'] };

// --- the parts of Kubernetes objects these tests read (the schema check vouches for the shape)

interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef };
}
interface Probe {
  httpGet?: { path: string; port: number | string };
  periodSeconds?: number;
  failureThreshold?: number;
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: unknown[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  containers: Container[];
  restartPolicy?: string;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; fsGroup?: number };
  volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName: string }; emptyDir?: object }>;
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}
interface Deployment extends K8sObject {
  spec: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: PodTemplate };
}
interface Service extends K8sObject {
  spec: { selector: Record<string, string>; ports: Array<{ name?: string; port: number; targetPort?: number | string }> };
}
interface Job extends K8sObject {
  spec: { template: PodTemplate };
}
interface CronJob extends K8sObject {
  spec: { schedule: string; timeZone?: string; concurrencyPolicy?: string; jobTemplate: { spec: { template: PodTemplate } } };
}
interface ConfigMap extends K8sObject {
  data?: Record<string, string>;
}
interface Secret extends K8sObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface PersistentVolumeClaim extends K8sObject {
  spec: { accessModes: string[] };
}

type Build = K8sObject[];
type Env = Record<string, string>;

// --- what the manifests must provide

// The settings each program reads (its zod schema) and its loader, which throws a ConfigError
// naming every missing or invalid setting.
interface Settings {
  schema: z.ZodObject;
  load: (env: NodeJS.ProcessEnv) => unknown;
}
const settingsOf = {
  collector: { schema: collectorConfigSchema, load: loadCollectorConfig },
  baseline: { schema: baselineConfigSchema, load: loadBaselineConfig },
  detector: { schema: detectorConfigSchema, load: loadDetectorConfig },
  notifier: { schema: notifierConfigSchema, load: loadNotifierConfig },
  collectorCli: { schema: collectorCliConfigSchema, load: loadCollectorCliConfig },
  replayArchive: { schema: replayArchiveConfigSchema, load: loadReplayArchiveConfig },
  reportCli: { schema: reportCliConfigSchema, load: loadReportCliConfig },
} satisfies Record<string, Settings>;

/** Variables read by something other than the program's config: Node itself and the AWS SDK's default credential chain. */
const runtimeVariables = new Set(['NODE_OPTIONS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);

const services = [
  { name: 'collector', port: 8081, settings: settingsOf.collector },
  { name: 'baseline', port: 8082, settings: settingsOf.baseline },
  { name: 'detector', port: 8083, settings: settingsOf.detector },
  { name: 'notifier', port: 8084, settings: settingsOf.notifier },
] as const;

const collectorCli = 'dist/services/collector/src/cli/main.js';
const jobs = [
  { name: 'backfill', command: ['node', collectorCli, 'collect', '--source', 'synthetic', '--from', '20260901', '--to', '20260930'], settings: settingsOf.collectorCli },
  { name: 'replay-archive', command: ['node', collectorCli, 'replay-archive', '--from', '20260901', '--to', '20260930'], settings: settingsOf.replayArchive },
  { name: 'reset-group', command: ['node', collectorCli, 'reset-group', '--group', 'costwatch-detector', '--to', '2026-01-01T00:00:00Z'], settings: settingsOf.collectorCli },
] as const;
const dailyReportCommand = ['node', 'dist/services/notifier/src/cli/report.js', '--period', 'daily', '--out', '/reports'];

// --- tools

function run(file: string, args: string[]): string {
  return execFileSync(file, args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
}

/** The kustomize binary, installed by tools/infra/infra.mjs if missing (it prints the path last). */
function kustomizeBinary(): string {
  const out = run(process.execPath, [path.join(repoRoot, 'tools', 'infra', 'infra.mjs'), 'tool', 'kustomize']);
  const binary = out.trim().split('\n').pop() ?? '';
  if (!existsSync(binary)) throw new Error(`node tools/infra/infra.mjs tool kustomize did not print a binary path:\n${out}`);
  return binary;
}

/** kubernetes-validate in a virtualenv of its own under the costwatch cache, installed from PyPI on first use. */
function kubernetesValidateBinary(): string {
  const cache = path.resolve(process.env['COSTWATCH_CACHE_DIR'] || path.join(homedir(), '.cache', 'costwatch'));
  const venv = path.join(cache, 'tools', `kubernetes-validate-${KUBERNETES_VALIDATE.version}`);
  const binary = path.join(venv, 'bin', 'kubernetes-validate');
  const installed = path.join(venv, '.installed');
  if (existsSync(installed)) return binary;
  rmSync(venv, { recursive: true, force: true });
  try {
    run('python3', ['-m', 'venv', venv]);
    run(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '--no-input', `kubernetes-validate==${KUBERNETES_VALIDATE.version}`]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(
      `could not install kubernetes-validate ${KUBERNETES_VALIDATE.version} into ${venv} (needs python3 with venv and pip, and PyPI): ` +
        `${error instanceof Error ? error.message : String(error)}\n${stderr}`,
    );
  }
  writeFileSync(installed, '');
  return binary;
}

// --- kustomizations and their output

/** Every kustomization under deploy/k8s (components are built as part of those that use them), relative to it. */
function kustomizations(dir = k8sRoot): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...kustomizations(full));
    else if (entry.name === 'kustomization.yaml') {
      const kind = (parseAllDocuments(readFileSync(full, 'utf8'))[0]?.toJS() as { kind?: string } | undefined)?.kind ?? 'Kustomization';
      if (kind === 'Kustomization') found.push(path.relative(k8sRoot, dir));
    }
  }
  return found.sort();
}

function parseObjects(text: string, source: string): Build {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as K8sObject | null;
    return value ? [value] : [];
  });
}

const ofKind = <T extends K8sObject>(build: Build, kind: string): T[] => build.filter((o) => o.kind === kind) as T[];

function one<T extends K8sObject>(build: Build, kind: string, name: string): T {
  const found = ofKind<T>(build, kind).filter((o) => o.metadata.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0]!;
}

function onlyContainer(template: PodTemplate): Container {
  expect(template.spec.containers).toHaveLength(1);
  return template.spec.containers[0]!;
}

/** Every pod template of a build with what owns it. */
function podTemplates(build: Build): Array<{ owner: string; template: PodTemplate }> {
  return build.flatMap((o) => {
    const owner = `${o.kind}/${o.metadata.name}`;
    if (o.kind === 'Deployment') return [{ owner, template: (o as Deployment).spec.template }];
    if (o.kind === 'Job') return [{ owner, template: (o as Job).spec.template }];
    if (o.kind === 'CronJob') return [{ owner, template: (o as CronJob).spec.jobTemplate.spec.template }];
    return [];
  });
}

/**
 * The environment a container gets, as the kubelet would build it: literal values, and keys
 * of the ConfigMaps and Secrets in `settingsBuild` (the build applied to the same namespace).
 * A reference to a missing object or key (a pod stuck in CreateContainerConfigError) throws.
 */
function resolveEnv(container: Container, settingsBuild: Build): Env {
  expect(container.envFrom).toBeUndefined();
  const env: Env = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) {
      env[variable.name] = variable.value;
      continue;
    }
    const configMapRef = variable.valueFrom?.configMapKeyRef;
    const secretRef = variable.valueFrom?.secretKeyRef;
    let value: string | undefined;
    if (configMapRef) {
      value = ofKind<ConfigMap>(settingsBuild, 'ConfigMap').find((c) => c.metadata.name === configMapRef.name)?.data?.[configMapRef.key];
    } else if (secretRef) {
      const secret = ofKind<Secret>(settingsBuild, 'Secret').find((s) => s.metadata.name === secretRef.name);
      const encoded = secret?.data?.[secretRef.key];
      value = secret?.stringData?.[secretRef.key] ?? (encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8'));
    } else {
      throw new Error(`${container.name}: env ${variable.name} has neither a value nor a ConfigMap/Secret key reference`);
    }
    const ref = (configMapRef ?? secretRef)!;
    if (value === undefined && !ref.optional) {
      throw new Error(`${container.name}: env ${variable.name} refers to ${configMapRef ? 'ConfigMap' : 'Secret'} ${ref.name} key ${ref.key}, which does not exist`);
    }
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

/** Every ConfigMap/Secret key a container refers to. */
interface KeyReference {
  variable: string;
  kind: 'ConfigMap' | 'Secret';
  ref: KeyRef;
}
function keyReferences(container: Container): KeyReference[] {
  return (container.env ?? []).flatMap((variable): KeyReference[] => {
    const { configMapKeyRef, secretKeyRef } = variable.valueFrom ?? {};
    if (configMapKeyRef) return [{ variable: variable.name, kind: 'ConfigMap', ref: configMapKeyRef }];
    if (secretKeyRef) return [{ variable: variable.name, kind: 'Secret', ref: secretKeyRef }];
    return [];
  });
}

/** Whether the program cannot start without the setting (no default, not optional). */
const isRequired = (settings: Settings, name: string): boolean => settings.schema.shape[name]?.safeParse(undefined).success === false;

/** Loads the program's config from exactly this environment; a ConfigError lists every problem. */
function expectConfigLoads(settings: Settings, env: Env, what: string): void {
  try {
    settings.load(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`${what}: the config does not load from the pod's environment: ${error.message}`);
    throw error;
  }
}

/** Every variable a container sets is one its program reads (a misspelt optional setting would be silently ignored). */
function expectOnlyKnownSettings(settings: Settings, env: Env, what: string): void {
  const known = new Set([...Object.keys(settings.schema.shape), ...runtimeVariables]);
  const unknown = Object.keys(env).filter((name) => !known.has(name));
  expect({ what, unknown }).toEqual({ what, unknown: [] });
}

/**
 * A replacement ConfigMap or Secret (an overlay's generator) may leave out what has a
 * default; what is required keeps the pod in CreateContainerConfigError, naming the key,
 * instead of starting a process that exits on its config.
 */
function expectOptionalUnlessRequired(container: Container, settings: Settings, what: string): void {
  const refs = keyReferences(container);
  expect(refs.length).toBeGreaterThan(0);
  const mismatched = refs.filter(({ variable, ref }) => (ref.optional === true) === isRequired(settings, variable)).map(({ variable }) => variable);
  expect({ what, mismatched }).toEqual({ what, mismatched: [] });
}

/** Bytes of a Kubernetes memory quantity such as 512Mi or 1Gi. */
function bytes(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi)?$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }[match[2] ?? '']!;
}

/** The container port a probe or Service targets by number or by port name. */
function containerPort(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

const selects = (selector: Record<string, string>, labels: Record<string, string> = {}): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

const commandLine = (container: Container): string[] => [...(container.command ?? []), ...(container.args ?? [])];

// ---------------------------------------------------------------------------------------------

describe('Kubernetes manifests (deploy/k8s)', () => {
  const builds = new Map<string, Build>();
  const rendered = new Map<string, string>();
  let validator = '';

  const build = (name: string): Build => {
    const objects = builds.get(name);
    if (!objects) throw new Error(`kustomization ${name} was not built`);
    return objects;
  };

  beforeAll(() => {
    const kustomize = kustomizeBinary();
    validator = kubernetesValidateBinary();
    for (const name of kustomizations()) {
      const text = run(kustomize, ['build', path.join(k8sRoot, name)]);
      rendered.set(name, text);
      builds.set(name, parseObjects(text, name));
    }
  }, 900_000);

  it('has the base, one kustomization per job and the local overlay, each of which builds', () => {
    expect([...builds.keys()]).toEqual([
      'base',
      'jobs/backfill',
      'jobs/replay-archive',
      'jobs/reset-group',
      'overlays/local',
      'overlays/local/jobs/backfill',
      'overlays/local/jobs/replay-archive',
      'overlays/local/jobs/reset-group',
    ]);
    for (const objects of builds.values()) expect(objects.length).toBeGreaterThan(0);
  });

  it.each(KUBERNETES_VALIDATE.kubernetes)('every rendered object passes strict schema validation for Kubernetes %s', (version) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'costwatch-k8s-'));
    try {
      const files = [...rendered].map(([name, text]) => {
        const file = path.join(dir, `${name.replace(/\//g, '_')}.yaml`);
        writeFileSync(file, text);
        return file;
      });
      let output: string;
      try {
        output = run(validator, ['--strict', '--kubernetes-version', version, ...files]);
      } catch (error) {
        const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
        throw new Error(`kubernetes-validate rejected the manifests:\n${stdout}${stderr}`);
      }
      // A kind without a schema is only a warning to kubernetes-validate; here it fails.
      const problems = output.split('\n').filter((line) => /^(WARN|ERROR)/.test(line));
      expect(problems).toEqual([]);
      const passed = output.split('\n').filter((line) => /^INFO .* passed for resource /.test(line)).length;
      expect(passed).toBe([...builds.values()].reduce((n, objects) => n + objects.length, 0));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('every workload (services, jobs, CronJob) of every kustomization', () => {
    const each = () => [...builds].flatMap(([name, objects]) => podTemplates(objects).map((pod) => ({ ...pod, where: `${name}: ${pod.owner}` })));

    it('runs the costwatch image as a non-root user, read-only, without privileges or capabilities', () => {
      expect(each().length).toBeGreaterThan(0);
      for (const { where, template } of each()) {
        const pod = template.spec.securityContext;
        expect({ where, runAsNonRoot: pod?.runAsNonRoot }).toEqual({ where, runAsNonRoot: true });
        // The image's user is `node`; runAsNonRoot can only verify a numeric uid.
        expect({ where, uid: typeof pod?.runAsUser === 'number' && pod.runAsUser > 0 }).toEqual({ where, uid: true });
        for (const container of template.spec.containers) {
          expect({ where, image: container.image }).toEqual({ where, image: expect.stringMatching(/^costwatch:[\w.-]+$/) as unknown });
          expect({ where, securityContext: container.securityContext }).toEqual({
            where,
            securityContext: expect.objectContaining({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }) as unknown,
          });
        }
      }
    });

    it('sets CPU and memory requests and a memory limit (256Mi–1Gi), with the V8 heap below the limit', () => {
      for (const { where, template } of each()) {
        for (const container of template.spec.containers) {
          const { requests = {}, limits = {} } = container.resources ?? {};
          expect({ where, cpu: requests['cpu'] !== undefined, memory: requests['memory'] !== undefined }).toEqual({ where, cpu: true, memory: true });
          const limit = bytes(limits['memory'] ?? '0');
          expect({ where, limitInRange: limit >= bytes('256Mi') && limit <= bytes('1Gi') }).toEqual({ where, limitInRange: true });
          expect(bytes(requests['memory']!)).toBeLessThanOrEqual(limit);
          const heap = /--max-old-space-size=(\d+)/.exec(container.env?.find((e) => e.name === 'NODE_OPTIONS')?.value ?? '');
          expect({ where, heapBelowLimit: heap !== null && Number(heap[1]) * 1024 ** 2 < limit }).toEqual({ where, heapBelowLimit: true });
        }
      }
    });

    it('gives the read-only containers a writable /tmp, and backs every mount by a volume of the pod', () => {
      for (const { where, template } of each()) {
        const volumes = new Set((template.spec.volumes ?? []).map((v) => v.name));
        for (const container of template.spec.containers) {
          expect({ where, tmp: container.volumeMounts?.some((m) => m.mountPath === '/tmp') }).toEqual({ where, tmp: true });
          for (const mount of container.volumeMounts ?? []) expect({ where, volume: volumes.has(mount.name) }).toEqual({ where, volume: true });
        }
      }
    });
  });

  describe('base', () => {
    it('starts only the services: Namespace, settings, four Deployments and Services, the daily-report CronJob and its claim — no Job', () => {
      const kinds = build('base').map((o) => `${o.kind}/${o.metadata.name}`).sort();
      expect(kinds).toEqual(
        [
          'ConfigMap/costwatch-config',
          'CronJob/daily-report',
          'Namespace/costwatch',
          'PersistentVolumeClaim/costwatch-reports',
          'Secret/costwatch-secrets',
          ...services.flatMap((s) => [`Deployment/${s.name}`, `Service/${s.name}`]),
        ].sort(),
      );
    });

    it('puts every object in the costwatch namespace', () => {
      for (const o of build('base')) {
        if (o.kind === 'Namespace') expect(o.metadata.name).toBe('costwatch');
        else expect({ object: `${o.kind}/${o.metadata.name}`, namespace: o.metadata.namespace }).toEqual({ object: `${o.kind}/${o.metadata.name}`, namespace: 'costwatch' });
      }
    });

    it('lists in its ConfigMap and Secret every key a workload (services, jobs, report) refers to, optional ones too', () => {
      const workloads = [...podTemplates(build('base')), ...jobs.flatMap((j) => podTemplates(build(`jobs/${j.name}`)))];
      const missing = workloads.flatMap(({ owner, template }) =>
        template.spec.containers.flatMap(keyReferences).flatMap(({ kind, ref }) => {
          const holder = ofKind<ConfigMap & Secret>(build('base'), kind).find((o) => o.metadata.name === ref.name);
          return holder?.data?.[ref.key] !== undefined || holder?.stringData?.[ref.key] !== undefined ? [] : [`${owner}: ${kind} ${ref.name} key ${ref.key}`];
        }),
      );
      expect(missing).toEqual([]);
    });

    it('keeps credentials in the Secret, not the ConfigMap', () => {
      const config = one<ConfigMap>(build('base'), 'ConfigMap', 'costwatch-config').data ?? {};
      const secret = one<Secret>(build('base'), 'Secret', 'costwatch-secrets').stringData ?? {};
      for (const key of ['MONGO_URL', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'WEBHOOK_URL', 'SLACK_WEBHOOK_URL', 'KAKAOCLOUD_CREDENTIAL_SECRET', 'AWS_SECRET_ACCESS_KEY']) {
        expect(Object.keys(secret)).toContain(key);
        expect(Object.keys(config)).not.toContain(key);
      }
      // The shipped values are placeholders that nobody mistakes for real ones.
      for (const key of ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'MONGO_URL']) expect(secret[key]).toContain('REPLACE_ME');
    });

    describe.each(services)('$name', ({ name, port, settings }) => {
      let deployment: Deployment;
      let container: Container;
      beforeAll(() => {
        deployment = one<Deployment>(build('base'), 'Deployment', name);
        container = onlyContainer(deployment.spec.template);
      });

      it(`runs dist/services/${name}/src/main.js (built by npm run build) from costwatch:latest`, () => {
        expect(container.image).toBe('costwatch:latest');
        expect(commandLine(container)).toEqual(['node', `dist/services/${name}/src/main.js`]);
        expect(existsSync(path.join(repoRoot, `dist/services/${name}/src/main.js`))).toBe(true);
      });

      it(`listens on 0.0.0.0:${port} (HTTP_HOST, HTTP_PORT), the container port named http`, () => {
        const env = resolveEnv(container, build('base'));
        expect(env['HTTP_HOST']).toBe('0.0.0.0');
        expect(env['HTTP_PORT']).toBe(String(port));
        expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
      });

      it('probes /health/live (startup, liveness) and /health/ready (readiness) on that port', () => {
        const probes = { startup: container.startupProbe, liveness: container.livenessProbe, readiness: container.readinessProbe };
        const target = (probe: Probe | undefined) => ({ path: probe?.httpGet?.path, port: containerPort(container, probe?.httpGet?.port) });
        expect(target(probes.startup)).toEqual({ path: '/health/live', port });
        expect(target(probes.liveness)).toEqual({ path: '/health/live', port });
        expect(target(probes.readiness)).toEqual({ path: '/health/ready', port });
        // The startup probe gives a slow boot (connecting to Kafka) at least a minute before liveness counts.
        expect((probes.startup?.periodSeconds ?? 10) * (probes.startup?.failureThreshold ?? 3)).toBeGreaterThanOrEqual(60);
      });

      it('is annotated for Prometheus to scrape /metrics on that port', () => {
        expect(deployment.spec.template.metadata?.annotations).toEqual(
          expect.objectContaining({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' }),
        );
      });

      it('gets every setting its config needs from the ConfigMap and Secret, and only settings it reads', () => {
        const env = resolveEnv(container, build('base'));
        expectConfigLoads(settings, env, `Deployment ${name}`);
        expectOnlyKnownSettings(settings, env, `Deployment ${name}`);
      });

      it('refers to a key without `optional: true` exactly when the service cannot start without the setting', () => {
        expectOptionalUnlessRequired(container, settings, `Deployment ${name}`);
      });

      it('has a Service named http on its port that selects its pods and no others', () => {
        const service = one<Service>(build('base'), 'Service', name);
        const labels = deployment.spec.template.metadata?.labels;
        expect(selects(deployment.spec.selector.matchLabels, labels)).toBe(true);
        expect(selects(service.spec.selector, labels)).toBe(true);
        const selected = ofKind<Deployment>(build('base'), 'Deployment').filter((d) => selects(service.spec.selector, d.spec.template.metadata?.labels));
        expect(selected.map((d) => d.metadata.name)).toEqual([name]);
        expect(service.spec.ports).toHaveLength(1);
        const servicePort = service.spec.ports[0]!;
        expect(servicePort.name).toBe('http');
        expect(servicePort.port).toBe(port);
        expect(containerPort(container, servicePort.targetPort ?? servicePort.port)).toBe(port);
      });
    });

    it('runs one baseline (day closing needs one owner of every partition) and one collector (its schedule runs in-process)', () => {
      expect(one<Deployment>(build('base'), 'Deployment', 'baseline').spec.replicas).toBe(1);
      expect(one<Deployment>(build('base'), 'Deployment', 'collector').spec.replicas).toBe(1);
    });

    it('runs the daily report at 04:30 UTC, after yesterday can close, into /reports on a persistent claim', () => {
      const cronJob = one<CronJob>(build('base'), 'CronJob', 'daily-report');
      expect(cronJob.spec.schedule).toBe('30 4 * * *');
      // Day D closes when the aggregator's watermark passes D+1 00:00 + DAY_CLOSE_GRACE_HOURS. The
      // hour starting then is collected by the first HOURLY_CRON run after it ends, and a
      // partition carrying a single series moves its watermark only with the hour after that.
      const configMap = one<ConfigMap>(build('base'), 'ConfigMap', 'costwatch-config').data ?? {};
      const graceHours = baselineConfigSchema.shape.DAY_CLOSE_GRACE_HOURS.parse(configMap['DAY_CLOSE_GRACE_HOURS'] || undefined);
      const hourlyCron = collectorConfigSchema.shape.HOURLY_CRON.parse(configMap['HOURLY_CRON'] || undefined);
      const [collectMinute, collectHour] = hourlyCron.split(' ');
      expect(collectHour).toBe('*');
      const closesBy = (graceHours + 2) * 60 + Number(collectMinute);
      const [reportMinute, reportHour, ...everyDay] = cronJob.spec.schedule.split(' ');
      expect(everyDay).toEqual(['*', '*', '*']);
      expect(Number(reportHour) * 60 + Number(reportMinute)).toBeGreaterThan(closesBy);
      expect(cronJob.spec.timeZone).toBe('Etc/UTC');
      expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
      const template = cronJob.spec.jobTemplate.spec.template;
      const container = onlyContainer(template);
      expect(container.image).toBe('costwatch:latest');
      expect(commandLine(container)).toEqual(dailyReportCommand);
      const mount = container.volumeMounts?.find((m) => m.mountPath === '/reports');
      const claim = template.spec.volumes?.find((v) => v.name === mount?.name)?.persistentVolumeClaim?.claimName;
      expect(one<PersistentVolumeClaim>(build('base'), 'PersistentVolumeClaim', claim ?? '').spec.accessModes).toEqual(['ReadWriteOnce']);
      // The claim is writable by the image's user.
      expect(template.spec.securityContext?.fsGroup).toBe(template.spec.securityContext?.runAsUser);
    });

    it('runs a daily-report entry point that npm run build produces, with every setting it needs and only those', () => {
      expect(existsSync(path.join(repoRoot, dailyReportCommand[1]!))).toBe(true);
      const container = onlyContainer(one<CronJob>(build('base'), 'CronJob', 'daily-report').spec.jobTemplate.spec.template);
      const env = resolveEnv(container, build('base'));
      expectConfigLoads(settingsOf.reportCli, env, 'CronJob daily-report');
      expectOnlyKnownSettings(settingsOf.reportCli, env, 'CronJob daily-report');
      expectOptionalUnlessRequired(container, settingsOf.reportCli, 'CronJob daily-report');
    });
  });

  describe.each(jobs)('job $name', ({ name, command, settings }) => {
    let job: Job;
    let container: Container;
    beforeAll(() => {
      const objects = build(`jobs/${name}`);
      // Applying the job's kustomization creates the Job and nothing else.
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([`Job/${name}`]);
      job = one<Job>(objects, 'Job', name);
      container = onlyContainer(job.spec.template);
    });

    it(`runs \`${command.join(' ')}\` from costwatch:latest in the costwatch namespace, once`, () => {
      expect(commandLine(container)).toEqual(command);
      expect(container.image).toBe('costwatch:latest');
      expect(job.metadata.namespace).toBe('costwatch');
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
    });

    it('runs a CLI entry point that npm run build produces', () => {
      expect(existsSync(path.join(repoRoot, command[1]))).toBe(true);
    });

    it("gets every setting the CLI needs from the base's ConfigMap and Secret, and only settings it reads", () => {
      const env = resolveEnv(container, build('base'));
      expectConfigLoads(settings, env, `Job ${name}`);
      expectOnlyKnownSettings(settings, env, `Job ${name}`);
      expectOptionalUnlessRequired(container, settings, `Job ${name}`);
    });
  });

  it("resets the detector's own consumer group", () => {
    const detector = onlyContainer(one<Deployment>(build('base'), 'Deployment', 'detector').spec.template);
    const group = resolveEnv(detector, build('base'))['DETECTOR_GROUP_ID'];
    const args = commandLine(onlyContainer(one<Job>(build('jobs/reset-group'), 'Job', 'reset-group').spec.template));
    expect(group).toBe('costwatch-detector');
    expect(args[args.indexOf('--group') + 1]).toBe(group);
  });

  describe('overlays/local', () => {
    const local = () => build('overlays/local');
    const localJobs = () => jobs.map((j) => ({ name: j.name, objects: build(`overlays/local/jobs/${j.name}`) }));

    it('is the base in namespace costwatch-local, for the services and for each job', () => {
      const names = (objects: Build) => objects.map((o) => (o.kind === 'Namespace' ? 'Namespace' : `${o.kind}/${o.metadata.name}`)).sort();
      expect(names(local())).toEqual(names(build('base')));
      expect(one(local(), 'Namespace', 'costwatch-local')).toBeDefined();
      for (const o of [...local(), ...localJobs().flatMap((j) => j.objects)]) {
        if (o.kind !== 'Namespace') expect({ object: `${o.kind}/${o.metadata.name}`, namespace: o.metadata.namespace }).toEqual({ object: `${o.kind}/${o.metadata.name}`, namespace: 'costwatch-local' });
      }
    });

    it('uses the image costwatch:local everywhere, never pulled', () => {
      const templates = [...podTemplates(local()), ...localJobs().flatMap((j) => podTemplates(j.objects))];
      expect(templates).toHaveLength(services.length + 1 + jobs.length);
      for (const { template } of templates) {
        for (const container of template.spec.containers) expect(container.image).toBe('costwatch:local');
      }
    });

    it('runs two detectors and local settings', () => {
      expect(one<Deployment>(local(), 'Deployment', 'detector').spec.replicas).toBe(2);
      expect(one<ConfigMap>(local(), 'ConfigMap', 'costwatch-config').data?.['LOG_LEVEL']).toBe('debug');
      expect(one<Secret>(local(), 'Secret', 'costwatch-secrets').stringData?.['S3_SECRET_ACCESS_KEY']).toBe('costwatch-secret');
    });

    it('gives every service and job the settings it needs from the local ConfigMap and Secret', () => {
      for (const { name, settings } of services) {
        expectConfigLoads(settings, resolveEnv(onlyContainer(one<Deployment>(local(), 'Deployment', name).spec.template), local()), `local Deployment ${name}`);
      }
      for (const { name, settings } of jobs) {
        const job = one<Job>(build(`overlays/local/jobs/${name}`), 'Job', name);
        expectConfigLoads(settings, resolveEnv(onlyContainer(job.spec.template), local()), `local Job ${name}`);
      }
    });
  });
});
