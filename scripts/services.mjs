#!/usr/bin/env node
// Runs the four built services as background processes against the local stack:
//   node scripts/services.mjs up       start (or keep) them and wait until each is ready
//   node scripts/services.mjs down     stop them
//   node scripts/services.mjs status   one line per service; exit 0 only if all four are ready
// Logs and pid files live in $COSTWATCH_RUN_DIR/services (default
// ${COSTWATCH_CACHE_DIR:-~/.cache/costwatch}/run/services, as tools/infra/infra.mjs).
// HTTP ports: COSTWATCH_SERVICES_PORT_BASE (default 8081) for the collector, +1 baseline,
// +2 detector, +3 notifier. A second stack takes its own run dir and port base (and its
// own KAFKA_TOPIC_PREFIX, MONGO_DB, S3_BUCKET), so neither `up` nor `down` touches the first.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { endpoints } from '../tools/infra/infra.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NAMES = ['collector', 'baseline', 'detector', 'notifier'];
export const DEFAULT_PORT_BASE = 8081;

/** Where this stack's services keep their pid files and logs, and the port each listens on. */
export function servicesConfig(env = process.env) {
  const cache = resolve(env.COSTWATCH_CACHE_DIR || join(homedir(), '.cache', 'costwatch'));
  const runDir = join(resolve(env.COSTWATCH_RUN_DIR || join(cache, 'run')), 'services');
  const text = env.COSTWATCH_SERVICES_PORT_BASE || String(DEFAULT_PORT_BASE);
  const base = Number(text);
  if (!/^\d+$/.test(text) || base < 1 || base + NAMES.length - 1 > 65535) {
    throw new Error(`COSTWATCH_SERVICES_PORT_BASE=${text}: must be a port from 1 to ${65535 - NAMES.length + 1} (the four services take it and the next three)`);
  }
  return { runDir, services: NAMES.map((name, i) => ({ name, port: base + i })) };
}

function serviceEnv(port, env) {
  const e = endpoints(env);
  return {
    ...env,
    HTTP_PORT: String(port),
    KAFKA_BROKERS: e.KAFKA_BROKERS,
    MONGO_URL: e.MONGO_URL,
    MONGO_DB: env.MONGO_DB ?? 'costwatch',
    S3_ENDPOINT: e.S3_ENDPOINT,
    S3_REGION: e.S3_REGION,
    S3_ACCESS_KEY_ID: e.S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: e.S3_SECRET_ACCESS_KEY,
    S3_BUCKET: env.S3_BUCKET ?? 'costwatch-billing',
    ALERTMANAGER_URLS: e.ALERTMANAGER_URL,
    SYSLOG_HOST: e.SYSLOG_HOST,
    SYSLOG_PORT: e.SYSLOG_PORT,
    // TCP (octet counting): a line rsyslog did not take is counted as failed and retried.
    SYSLOG_PROTOCOL: env.SYSLOG_PROTOCOL || 'tcp',
  };
}

const pidFile = (runDir, name) => join(runDir, `${name}.pid`);
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const runningPid = (runDir, name) => {
  if (!existsSync(pidFile(runDir, name))) return undefined;
  const pid = Number(readFileSync(pidFile(runDir, name), 'utf8'));
  return alive(pid) ? pid : undefined;
};

/** Whether nothing listens on the port yet (another stack's service would answer our readiness probe). */
const portFree = (port) =>
  new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort(true)));
  });

async function ready(port) {
  return (await readiness(port)).ready;
}

/** Delivery channels: the notifier reports them in /health/ready, but runs (and retries) while they are down. */
const CHANNEL_CHECKS = new Set(['alertmanager', 'syslog', 'webhook', 'slack']);

/** `{ ready, channelsDown }`: channelsDown lists the failing checks when only delivery channels fail. */
async function readiness(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2_000) });
    if (response.ok) return { ready: true, channelsDown: [] };
    const checks = Object.entries((await response.json().catch(() => ({}))).checks ?? {}).filter(([, check]) => check && check.ok === false);
    const onlyChannels = checks.length > 0 && checks.every(([check]) => CHANNEL_CHECKS.has(check));
    return { ready: false, channelsDown: onlyChannels ? checks.map(([check, { error }]) => `${check} (${error ?? 'down'})`) : [] };
  } catch {
    return { ready: false, channelsDown: [] }; // not listening yet
  }
}

/**
 * Resolves with the delivery channels that are down when only those keep a service from
 * being ready (after 10 s, so a channel has time to connect): the demo still runs and its
 * summary names them. Anything else not ready within the timeout is an error.
 */
async function waitReady(runDir, { name, port }, timeoutMs = 60_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (!runningPid(runDir, name)) throw new Error(`${name} exited; see ${join(runDir, `${name}.log`)}`);
    const state = await readiness(port);
    if (state.ready) return [];
    if (state.channelsDown.length > 0 && Date.now() - started > 10_000) return state.channelsDown;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms; see ${join(runDir, `${name}.log`)}`);
}

export async function up(env = process.env) {
  const { runDir, services } = servicesConfig(env);
  mkdirSync(runDir, { recursive: true });
  for (const service of services) {
    const entry = join(root, 'dist', 'services', service.name, 'src', 'main.js');
    if (!existsSync(entry)) throw new Error(`${entry} missing: run \`npm run build\` first`);
    if (runningPid(runDir, service.name)) continue;
    if (!(await portFree(service.port))) {
      throw new Error(`${service.name}: port ${service.port} is taken (another stack? give this one its own COSTWATCH_SERVICES_PORT_BASE and COSTWATCH_RUN_DIR)`);
    }
    const log = openSync(join(runDir, `${service.name}.log`), 'a');
    const child = spawn(process.execPath, [entry], { env: serviceEnv(service.port, env), detached: true, stdio: ['ignore', log, log] });
    writeFileSync(pidFile(runDir, service.name), String(child.pid));
    child.unref();
  }
  const channelsDown = await Promise.all(services.map((service) => waitReady(runDir, service)));
  services.forEach(({ name, port }, i) => {
    const state = channelsDown[i].length === 0 ? 'ready' : `running, not ready: down ${channelsDown[i].join(', ')}; notices are retried`;
    console.log(`${name.padEnd(10)} http://127.0.0.1:${port}  ${state}  pid ${runningPid(runDir, name)}  log ${join(runDir, `${name}.log`)}`);
  });
}

export async function down(env = process.env) {
  const { runDir, services } = servicesConfig(env);
  for (const { name } of services) {
    const pid = runningPid(runDir, name);
    if (pid) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 50 && alive(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      console.log(`${name} stopped`);
    }
    rmSync(pidFile(runDir, name), { force: true });
  }
}

export async function status(env = process.env) {
  const { runDir, services } = servicesConfig(env);
  let all = true;
  for (const { name, port } of services) {
    const pid = runningPid(runDir, name);
    const answering = pid !== undefined && (await ready(port));
    all &&= answering;
    console.log(`${name.padEnd(10)} http://127.0.0.1:${port}  ${pid === undefined ? 'stopped' : answering ? `ready  pid ${pid}` : `not ready  pid ${pid}`}`);
  }
  if (!all) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const command = process.argv[2];
  const actions = { up, down, status };
  if (!actions[command]) {
    console.error('usage: services.mjs up|down|status');
    process.exit(2);
  }
  actions[command]().catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
