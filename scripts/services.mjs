#!/usr/bin/env node
// Runs the four built services as background processes against the local stack:
//   node scripts/services.mjs up     start (or keep) them and wait until each is ready
//   node scripts/services.mjs down   stop them
// Logs and pid files live in $COSTWATCH_CACHE_DIR/run/services (default ~/.cache/costwatch).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endpoints } from '../tools/infra/infra.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runDir = join(process.env.COSTWATCH_CACHE_DIR ?? join(homedir(), '.cache', 'costwatch'), 'run', 'services');
const SERVICES = [
  { name: 'collector', port: 8081 },
  { name: 'baseline', port: 8082 },
  { name: 'detector', port: 8083 },
  { name: 'notifier', port: 8084 },
];

function serviceEnv(port) {
  const e = endpoints();
  return {
    ...process.env,
    HTTP_PORT: String(port),
    KAFKA_BROKERS: e.KAFKA_BROKERS,
    MONGO_URL: e.MONGO_URL,
    MONGO_DB: process.env.MONGO_DB ?? 'costwatch',
    S3_ENDPOINT: e.S3_ENDPOINT,
    S3_REGION: e.S3_REGION,
    S3_ACCESS_KEY_ID: e.S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: e.S3_SECRET_ACCESS_KEY,
    S3_BUCKET: process.env.S3_BUCKET ?? 'costwatch-billing',
    ALERTMANAGER_URLS: e.ALERTMANAGER_URL,
    SYSLOG_HOST: e.SYSLOG_HOST,
    SYSLOG_PORT: e.SYSLOG_PORT,
    // TCP (octet counting): a line rsyslog did not take is counted as failed and retried.
    SYSLOG_PROTOCOL: process.env.SYSLOG_PROTOCOL || 'tcp',
  };
}

const pidFile = (name) => join(runDir, `${name}.pid`);
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const runningPid = (name) => {
  if (!existsSync(pidFile(name))) return undefined;
  const pid = Number(readFileSync(pidFile(name), 'utf8'));
  return alive(pid) ? pid : undefined;
};

async function waitReady({ name, port }, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms; see ${join(runDir, `${name}.log`)}`);
}

async function up() {
  mkdirSync(runDir, { recursive: true });
  for (const service of SERVICES) {
    const entry = join(root, 'dist', 'services', service.name, 'src', 'main.js');
    if (!existsSync(entry)) throw new Error(`${entry} missing: run \`npm run build\` first`);
    if (runningPid(service.name)) continue;
    const log = openSync(join(runDir, `${service.name}.log`), 'a');
    const child = spawn(process.execPath, [entry], { env: serviceEnv(service.port), detached: true, stdio: ['ignore', log, log] });
    writeFileSync(pidFile(service.name), String(child.pid));
    child.unref();
  }
  await Promise.all(SERVICES.map((service) => waitReady(service)));
  for (const { name, port } of SERVICES) {
    console.log(`${name.padEnd(10)} http://127.0.0.1:${port}  ready  pid ${runningPid(name)}  log ${join(runDir, `${name}.log`)}`);
  }
}

async function down() {
  for (const { name } of SERVICES) {
    const pid = runningPid(name);
    if (pid) {
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 50 && alive(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      console.log(`${name} stopped`);
    }
    rmSync(pidFile(name), { force: true });
  }
}

const command = process.argv[2];
const actions = { up, down };
if (!actions[command]) {
  console.error('usage: services.mjs up|down');
  process.exit(2);
}
actions[command]().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
