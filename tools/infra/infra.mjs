#!/usr/bin/env node
// Local test infrastructure for costwatch, without Docker.
//
//   node tools/infra/infra.mjs up       install what is missing, start what is not answering, wait until ready
//   node tools/infra/infra.mjs status   one line per server; exit 0 only if all are up
//   node tools/infra/infra.mjs down     stop what `up` started (pid files)
//   node tools/infra/infra.mjs env      `export NAME=value` lines: eval "$(node tools/infra/infra.mjs env)"
//   node tools/infra/infra.mjs prune    delete the Go/Maven build caches (~3.5 GB); binaries and jars stay
//   node tools/infra/infra.mjs tool N   install (once) the operator tool N (promtool, kustomize) and print its path
//
// Servers: Kafka 3.9.1 (KRaft, jars from Maven Central), MinIO (go install),
// FerretDB v1.24.2 (MongoDB wire protocol, SQLite backend, tools/infra/ferretdb),
// Alertmanager (go install) and rsyslog (apt). Everything is installed into
// ${COSTWATCH_CACHE_DIR:-$HOME/.cache/costwatch} and listens on 127.0.0.1 only.
// Runtime state (data, logs, pid files, generated configs) lives in ${cache}/run/
// (or $COSTWATCH_RUN_DIR, e.g. for a second stack on other ports).
//
// If KAFKA_BROKERS / MONGO_URL / S3_ENDPOINT / ALERTMANAGER_URL / SYSLOG_HOST is
// set, that server is external (e.g. docker compose): it is probed, never started.
//
// Plain Node 20 ESM, node: built-ins only. Also importable (jest globalSetup):
//   const infra = await import('.../tools/infra/infra.mjs');
//   const { started } = await infra.up(); Object.assign(process.env, infra.endpoints());
//   ... await infra.down({ only: started });
//
// See docs/infrastructure.md.

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOST = '127.0.0.1';

export const VERSIONS = {
  kafka: '3.9.1', // org.apache.kafka:kafka_2.13, see tools/infra/kafka/pom.xml
  // The Go module proxy serves exactly one MinIO version here (MinIO has no semver
  // tags); the pseudo-version of RELEASE.2025-10-15T17-29-55Z answers 403 on .info.
  minio: 'v0.0.0-20260212201848-7aac2a2c5b7c',
  ferretdb: 'v1.24.2', // pinned in tools/infra/ferretdb/go.mod
  // The default MongoDB-wire server (tools/infra/mongo-wire/pom.xml). FerretDB v1's SQLite
  // backend scans the whole collection for every update, even by _id (500 upserts into
  // 5,000 documents: > 60 s, against 0.1 s here), too slow for the aggregator's workload.
  mongoWire: '1.47.0',
  // Last release installable with `go install`: v0.32+ embed a UI (ui/app/dist) that
  // is built with npm at release time and missing from the module zip. No replace directives.
  alertmanager: 'v0.31.1',
};

const DEFAULT_PORTS = {
  kafka: 39092,
  kafkaController: 39093,
  s3: 39000,
  s3Console: 39001,
  mongo: 39017,
  alertmanager: 39094,
  syslog: 39514,
};

// ---------------------------------------------------------------------------
// configuration

/** Paths, ports and credentials, computed from the environment at call time. */
export function config(env = process.env) {
  const cache = path.resolve(env.COSTWATCH_CACHE_DIR || path.join(os.homedir(), '.cache', 'costwatch'));
  const run = path.resolve(env.COSTWATCH_RUN_DIR || path.join(cache, 'run'));
  const port = (key, name) => Number(env[`COSTWATCH_${name}_PORT`] || DEFAULT_PORTS[key]);
  return {
    cache,
    run,
    bin: path.join(cache, 'bin'),
    logs: path.join(cache, 'logs'),
    ports: {
      kafka: port('kafka', 'KAFKA'),
      kafkaController: port('kafkaController', 'KAFKA_CONTROLLER'),
      s3: port('s3', 'S3'),
      s3Console: port('s3Console', 'S3_CONSOLE'),
      mongo: port('mongo', 'MONGO'),
      alertmanager: port('alertmanager', 'ALERTMANAGER'),
      syslog: port('syslog', 'SYSLOG'),
    },
    s3AccessKey: env.S3_ACCESS_KEY_ID || 'costwatch',
    s3SecretKey: env.S3_SECRET_ACCESS_KEY || 'costwatch-secret',
    syslogFile: path.join(run, 'syslog', 'costwatch.log'),
  };
}

/** The endpoint variables tests and services read (given values win). */
export function endpoints(env = process.env) {
  const e = baseEndpoints(env);
  // The file only exists for the local rsyslog (or when given explicitly).
  if (env.SYSLOG_FILE || !isExternal(SYSLOG, env)) e.SYSLOG_FILE = env.SYSLOG_FILE || config(env).syslogFile;
  return e;
}

function baseEndpoints(env) {
  const c = config(env);
  return {
    KAFKA_BROKERS: env.KAFKA_BROKERS || `${HOST}:${c.ports.kafka}`,
    MONGO_URL: env.MONGO_URL || `mongodb://${HOST}:${c.ports.mongo}/`,
    S3_ENDPOINT: env.S3_ENDPOINT || `http://${HOST}:${c.ports.s3}`,
    S3_ACCESS_KEY_ID: c.s3AccessKey,
    S3_SECRET_ACCESS_KEY: c.s3SecretKey,
    S3_REGION: env.S3_REGION || 'us-east-1',
    ALERTMANAGER_URL: env.ALERTMANAGER_URL || `http://${HOST}:${c.ports.alertmanager}`,
    SYSLOG_HOST: env.SYSLOG_HOST || HOST,
    SYSLOG_PORT: env.SYSLOG_PORT || String(c.ports.syslog),
  };
}

/**
 * A server is external when one of its variables is set and names another endpoint than
 * the local default, so a shell that ran `eval "$(infra.mjs env)"` still manages the local stack.
 */
function isExternal(s, env) {
  if (!s.externalVars.some((v) => env[v])) return false;
  const local = { ...env };
  for (const v of s.externalVars) delete local[v];
  const norm = (x) => x.replace(/\/+$/, '');
  return norm(s.endpoint(baseEndpoints(env))) !== norm(s.endpoint(baseEndpoints(local)));
}

// ---------------------------------------------------------------------------
// the servers

const SERVERS = [
  {
    name: 'kafka',
    externalVars: ['KAFKA_BROKERS'],
    process: 'kafka.Kafka', // substring of /proc/<pid>/cmdline, guards kill()
    readyTimeoutMs: 120_000,
    endpoint: (e) => e.KAFKA_BROKERS,
    installed: kafkaInstalled,
    install: installKafka,
    start: startKafka,
    probe: probeKafka,
  },
  {
    name: 'minio',
    externalVars: ['S3_ENDPOINT'],
    process: 'minio',
    readyTimeoutMs: 60_000,
    endpoint: (e) => e.S3_ENDPOINT,
    installed: (c) => exists(minioBinary(c)),
    install: installMinio,
    start: startMinio,
    probe: probeMinio,
  },
  {
    name: 'mongo',
    externalVars: ['MONGO_URL'],
    endpoint: (e) => e.MONGO_URL,
    probe: probeMongo,
    // COSTWATCH_MONGO=ferretdb picks FerretDB instead of mongo-java-server (see VERSIONS).
    ...(process.env.COSTWATCH_MONGO === 'ferretdb'
      ? { process: 'ferretdb', readyTimeoutMs: 30_000, installed: (c) => exists(ferretdbBinary(c)), install: installFerretdb, start: startFerretdb }
      : { process: 'MongoWire', readyTimeoutMs: 60_000, installed: mongoWireInstalled, install: installMongoWire, start: startMongoWire }),
  },
  {
    name: 'alertmanager',
    externalVars: ['ALERTMANAGER_URL'],
    process: 'alertmanager',
    readyTimeoutMs: 30_000,
    endpoint: (e) => e.ALERTMANAGER_URL,
    installed: (c) => exists(alertmanagerBinary(c)),
    install: installAlertmanager,
    start: startAlertmanager,
    probe: probeAlertmanager,
  },
  {
    name: 'syslog',
    externalVars: ['SYSLOG_HOST', 'SYSLOG_PORT'],
    process: 'rsyslogd',
    readyTimeoutMs: 20_000,
    endpoint: (e) => `${e.SYSLOG_HOST}:${e.SYSLOG_PORT} (udp+tcp)`,
    installed: () => Boolean(rsyslogdPath()),
    install: installRsyslog,
    start: startRsyslog,
    probe: probeSyslog,
  },
];

export const SERVER_NAMES = SERVERS.map((s) => s.name);
const SYSLOG = SERVERS.find((s) => s.name === 'syslog');

// --- Kafka -----------------------------------------------------------------

function kafkaHome(c) {
  const pom = path.join(HERE, 'kafka', 'pom.xml');
  return path.join(c.cache, `kafka-${VERSIONS.kafka}-${hashFiles([pom])}`);
}

function kafkaInstalled(c) {
  return exists(path.join(kafkaHome(c), 'libs', '.complete'));
}

async function installKafka(c, log) {
  requireTool('java', 'apt-get install -y openjdk-17-jre-headless');
  requireTool('mvn', 'apt-get install -y maven');
  const home = kafkaHome(c);
  const tmp = path.join(home, `libs.tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`installing Kafka ${VERSIONS.kafka} jars (mvn dependency:copy-dependencies)…`);
  await runLogged('mvn', [
    '-q', '-B',
    '-f', path.join(HERE, 'kafka', 'pom.xml'),
    `-Dmaven.repo.local=${path.join(c.cache, 'm2')}`,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${tmp}`,
  ], { logFile: installLog(c, 'kafka') });
  fs.writeFileSync(path.join(tmp, '.complete'), `${new Date().toISOString()}\n`);
  fs.rmSync(path.join(home, 'libs'), { recursive: true, force: true });
  fs.renameSync(tmp, path.join(home, 'libs'));
}

function kafkaServerProperties(c, dir) {
  const { kafka, kafkaController } = c.ports;
  return `# generated by tools/infra/infra.mjs on every start
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${HOST}:${kafkaController}
listeners=PLAINTEXT://${HOST}:${kafka},CONTROLLER://${HOST}:${kafkaController}
advertised.listeners=PLAINTEXT://${HOST}:${kafka}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${path.join(dir, 'data')}
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
num.network.threads=2
num.io.threads=4
log.retention.hours=24
log.segment.bytes=67108864
`;
}

const KAFKA_LOG4J = `# generated by tools/infra/infra.mjs; stdout goes to the kafka log file
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.kafka.authorizer.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
`;

/** Kafka's Uuid.randomUuid(): 16 random bytes, base64url without padding, not starting with '-'. */
function kafkaClusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function startKafka(c, log) {
  requireTool('java', 'apt-get install -y openjdk-17-jre-headless');
  const dir = serverDir(c, 'kafka');
  const props = path.join(dir, 'server.properties');
  const log4j = path.join(dir, 'log4j.properties');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  fs.writeFileSync(props, kafkaServerProperties(c, dir));
  fs.writeFileSync(log4j, KAFKA_LOG4J);
  const classpath = `${path.join(kafkaHome(c), 'libs')}/*`;
  const jvm = [
    '-Xms256m', '-Xmx512m', '-server',
    '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent', '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${log4j}`, `-Dkafka.logs.dir=${path.join(dir, 'logs')}`,
    '-cp', classpath,
  ];
  if (!exists(path.join(dir, 'data', 'meta.properties'))) {
    const clusterId = kafkaClusterId();
    log(`formatting KRaft storage (cluster id ${clusterId})…`);
    const r = spawnSync('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props, '--ignore-formatted'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`kafka storage format failed:\n${r.stdout}\n${r.stderr}`);
  }
  return { cmd: 'java', args: [...jvm, 'kafka.Kafka', props] };
}

async function probeKafka(c, e) {
  const [host, port] = splitHostPort(e.KAFKA_BROKERS.split(',')[0], 9092);
  const brokers = await kafkaMetadataBrokers(host, port);
  return brokers > 0;
}

// --- MinIO -----------------------------------------------------------------

const minioBinary = (c) => path.join(c.bin, `minio-${VERSIONS.minio}`);

async function installMinio(c, log) {
  log(`installing MinIO ${VERSIONS.minio} (go install; the first build takes minutes)…`);
  await goInstall(c, 'minio', `github.com/minio/minio@${VERSIONS.minio}`, minioBinary(c));
}

async function startMinio(c) {
  const dir = serverDir(c, 'minio');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  return {
    cmd: minioBinary(c),
    args: ['server', path.join(dir, 'data'),
      '--address', `${HOST}:${c.ports.s3}`,
      '--console-address', `${HOST}:${c.ports.s3Console}`],
    env: {
      MINIO_ROOT_USER: c.s3AccessKey,
      MINIO_ROOT_PASSWORD: c.s3SecretKey,
      MINIO_BROWSER: 'off',
      MINIO_UPDATE: 'off',
    },
  };
}

async function probeMinio(c, e, { external }) {
  const status = await httpStatus(joinUrl(e.S3_ENDPOINT, 'minio/health/live'));
  // An external S3 may not be MinIO: any HTTP answer means it is there.
  return external ? status !== null : status === 200;
}

// --- mongo-java-server (MongoDB wire, H2 backend) ----------------------------

function mongoWireHome(c) {
  const src = ['pom.xml', 'MongoWire.java'].map((f) => path.join(HERE, 'mongo-wire', f));
  return path.join(c.cache, `mongo-wire-${VERSIONS.mongoWire}-${hashFiles(src)}`);
}

function mongoWireInstalled(c) {
  return exists(path.join(mongoWireHome(c), '.complete'));
}

async function installMongoWire(c, log) {
  requireTool('java', 'apt-get install -y openjdk-17-jdk-headless');
  requireTool('javac', 'apt-get install -y openjdk-17-jdk-headless');
  requireTool('mvn', 'apt-get install -y maven');
  const home = mongoWireHome(c);
  const tmp = `${home}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`installing mongo-java-server ${VERSIONS.mongoWire} (mvn dependency:copy-dependencies, javac)…`);
  await runLogged('mvn', [
    '-q', '-B',
    '-f', path.join(HERE, 'mongo-wire', 'pom.xml'),
    `-Dmaven.repo.local=${path.join(c.cache, 'm2')}`,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${path.join(tmp, 'libs')}`,
  ], { logFile: installLog(c, 'mongo') });
  await runLogged('javac', ['-cp', `${path.join(tmp, 'libs')}/*`, '-d', path.join(tmp, 'classes'), path.join(HERE, 'mongo-wire', 'MongoWire.java')], {
    logFile: installLog(c, 'mongo'),
  });
  fs.writeFileSync(path.join(tmp, '.complete'), `${new Date().toISOString()}\n`);
  fs.rmSync(home, { recursive: true, force: true });
  fs.renameSync(tmp, home);
}

async function startMongoWire(c) {
  const dir = serverDir(c, 'mongo');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  const home = mongoWireHome(c);
  return {
    cmd: 'java',
    args: [
      '-Xms128m', '-Xmx1g', '-XX:+UseG1GC', '-Djava.awt.headless=true', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-cp', `${path.join(home, 'classes')}:${path.join(home, 'libs')}/*`,
      'MongoWire', HOST, String(c.ports.mongo), path.join(dir, 'data', 'costwatch.mv'),
    ],
  };
}

// --- FerretDB --------------------------------------------------------------

function ferretdbBinary(c) {
  const src = ['go.mod', 'go.sum', 'main.go'].map((f) => path.join(HERE, 'ferretdb', f));
  return path.join(c.bin, `ferretdb-${VERSIONS.ferretdb}-${hashFiles(src)}`);
}

async function installFerretdb(c, log) {
  log(`building FerretDB ${VERSIONS.ferretdb} (tools/infra/ferretdb, go build)…`);
  const out = ferretdbBinary(c);
  const tmp = `${out}.tmp-${process.pid}`;
  await runLogged('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', tmp, '.'], {
    cwd: path.join(HERE, 'ferretdb'),
    env: goEnv(c),
    logFile: installLog(c, 'ferretdb'),
  });
  fs.renameSync(tmp, out);
}

async function startFerretdb(c) {
  const dir = serverDir(c, 'ferretdb');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  return {
    cmd: ferretdbBinary(c),
    args: ['-listen-addr', `${HOST}:${c.ports.mongo}`, '-sqlite-dir', path.join(dir, 'data')],
  };
}

async function probeMongo(c, e) {
  const [host, port] = mongoHostPort(e.MONGO_URL);
  return mongoHello(host, port);
}

// --- Alertmanager ----------------------------------------------------------

const alertmanagerBinary = (c) => path.join(c.bin, `alertmanager-${VERSIONS.alertmanager}`);

async function installAlertmanager(c, log) {
  log(`installing Alertmanager ${VERSIONS.alertmanager} (go install)…`);
  await goInstall(c, 'alertmanager', `github.com/prometheus/alertmanager/cmd/alertmanager@${VERSIONS.alertmanager}`, alertmanagerBinary(c));
}

const ALERTMANAGER_YML = `# generated by tools/infra/infra.mjs: keep every alert, send it nowhere
route:
  receiver: 'null'
  group_by: ['alertname']
  group_wait: 1s
  group_interval: 5s
  repeat_interval: 1h
receivers:
  - name: 'null'
`;

async function startAlertmanager(c) {
  const dir = serverDir(c, 'alertmanager');
  const conf = path.join(dir, 'alertmanager.yml');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(conf, ALERTMANAGER_YML);
  return {
    cmd: alertmanagerBinary(c),
    args: [
      `--config.file=${conf}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${HOST}:${c.ports.alertmanager}`,
      '--cluster.listen-address=', // no clustering / gossip port
    ],
  };
}

async function probeAlertmanager(c, e) {
  return (await httpStatus(joinUrl(e.ALERTMANAGER_URL, '-/ready'))) === 200;
}

// --- rsyslog ---------------------------------------------------------------

function rsyslogdPath() {
  return findExecutable('rsyslogd', ['/usr/sbin', '/sbin']);
}

async function installRsyslog(c, log) {
  if (process.getuid?.() !== 0) {
    throw new Error('rsyslogd is missing and this is not root: run `sudo apt-get update && sudo apt-get install -y rsyslog`');
  }
  log('installing rsyslog (apt-get)…');
  const logFile = installLog(c, 'syslog');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // A policy-rc.d that exits 101 keeps the package from starting a system daemon.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !exists(policy);
  const systemPidBefore = systemRsyslogPid();
  if (ownPolicy) fs.writeFileSync(policy, '#!/bin/sh\n# temporary, tools/infra/infra.mjs\nexit 101\n', { mode: 0o755 });
  try {
    await runLogged('apt-get', ['update', '-qq'], { env, logFile });
    await runLogged('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'rsyslog'], { env, logFile });
  } finally {
    if (ownPolicy) fs.rmSync(policy, { force: true });
  }
  const systemPid = systemRsyslogPid();
  if (systemPid && systemPid !== systemPidBefore) {
    log(`stopping the system rsyslogd (pid ${systemPid}) that the package started`);
    killQuietly(systemPid, 'SIGTERM');
  }
  if (!rsyslogdPath()) throw new Error('apt-get install rsyslog finished but rsyslogd is still missing');
}

function systemRsyslogPid() {
  const pid = readPid('/run/rsyslogd.pid');
  return pid && isAlive(pid) ? pid : null;
}

function rsyslogConf(c, dir) {
  const port = c.ports.syslog;
  return `# generated by tools/infra/infra.mjs
global(workDirectory="${path.join(dir, 'work')}")
module(load="imudp")
module(load="imtcp")

template(name="costwatch" type="string"
         string="%TIMESTAMP:::date-rfc3339% %HOSTNAME% %APP-NAME% %PROCID% %MSGID% %STRUCTURED-DATA% %msg%\\n")

# Only what arrives on the network goes to the costwatch file.
ruleset(name="costwatch") {
  action(type="omfile" file="${c.syslogFile}" template="costwatch")
}
input(type="imudp" address="${HOST}" port="${port}" ruleset="costwatch")
input(type="imtcp" address="${HOST}" port="${port}" ruleset="costwatch")

# rsyslogd's own messages.
*.* action(type="omfile" file="${path.join(dir, 'rsyslogd-internal.log')}")
`;
}

async function startRsyslog(c) {
  const rsyslogd = rsyslogdPath();
  if (!rsyslogd) throw new Error('rsyslogd not found');
  const dir = serverDir(c, 'syslog');
  const conf = path.join(dir, 'rsyslog.conf');
  fs.mkdirSync(path.join(dir, 'work'), { recursive: true });
  fs.writeFileSync(conf, rsyslogConf(c, dir));
  const check = spawnSync(rsyslogd, ['-N1', '-f', conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`rsyslogd -N1 rejected ${conf}:\n${check.stdout}${check.stderr}`);
  // -n: stay in the foreground (we detach it ourselves); -i: never touch /run/rsyslogd.pid.
  return { cmd: rsyslogd, args: ['-n', '-f', conf, '-i', path.join(dir, 'rsyslogd.pid')] };
}

async function probeSyslog(c, e, { deep }) {
  const port = Number(e.SYSLOG_PORT);
  if (!deep || !e.SYSLOG_FILE) return tcpOpen(e.SYSLOG_HOST, port);
  return syslogRoundTrip(e.SYSLOG_HOST, port, e.SYSLOG_FILE);
}

// ---------------------------------------------------------------------------
// up / status / down

/**
 * Installs what is missing and starts every local server that is not answering.
 * Resolves to { started, running, external, endpoints }; throws naming the
 * servers that failed (their log tails are printed).
 */
export async function up({ env = process.env, log = console.log } = {}) {
  const c = config(env);
  const e = endpoints(env);
  const t0 = Date.now();
  for (const d of [c.run, c.bin, c.logs]) fs.mkdirSync(d, { recursive: true });
  const release = await acquireLock(c, log);
  const result = { started: [], running: [], external: [], endpoints: e };
  try {
    const failed = [];
    await Promise.all(SERVERS.map(async (s) => {
      const slog = prefixed(log, s.name);
      try {
        await ensureServer(s, c, e, env, result, slog);
      } catch (err) {
        slog(`FAILED: ${err.message}`);
        failed.push(s);
      }
    }));
    if (failed.length) {
      throw new Error(`infra up failed for: ${failed.map((s) => s.name).join(', ')} (logs under ${c.run})`);
    }
  } finally {
    release();
  }
  log(`[infra] all servers ready in ${fmtMs(Date.now() - t0)}; eval "$(node tools/infra/infra.mjs env)"`);
  return result;
}

async function ensureServer(s, c, e, env, result, log) {
  if (isExternal(s, env)) {
    const ok = await s.probe(c, e, { external: true, deep: false });
    if (!ok) throw new Error(`external ${s.name} at ${s.endpoint(e)} (${s.externalVars.join('/')}) is not answering`);
    log(`external (${s.externalVars.join('/')}), answering at ${s.endpoint(e)}`);
    result.external.push(s.name);
    return;
  }
  if (await s.probe(c, e, { external: false, deep: false })) {
    const pid = livePid(s, c);
    log(`already running at ${s.endpoint(e)}${pid ? ` (pid ${pid})` : ' (not started by infra.mjs)'}`);
    result.running.push(s.name);
    return;
  }
  const starting = livePid(s, c);
  if (starting) {
    log(`pid ${starting} is alive but not answering yet, waiting…`);
    await waitReady(s, c, e, null, log, Date.now());
    result.running.push(s.name);
    return;
  }
  if (!s.installed(c)) {
    const t = Date.now();
    await withHeartbeat(log, 'installing', s.install(c, log));
    log(`installed in ${fmtMs(Date.now() - t)}`);
  }
  const t = Date.now();
  const child = await spawnServer(s, c, log);
  result.started.push(s.name);
  await waitReady(s, c, e, child, log, t);
}

async function spawnServer(s, c, log) {
  const spec = await s.start(c, log);
  const dir = serverDir(c, s.name);
  const logFile = serverLog(c, s.name);
  if (exists(logFile)) fs.renameSync(logFile, `${logFile}.1`);
  fs.writeFileSync(logFile, `=== ${new Date().toISOString()} ${spec.cmd} ${spec.args.join(' ')}\n`);
  const fd = fs.openSync(logFile, 'a');
  const child = spawn(spec.cmd, spec.args, {
    cwd: dir,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  child.exited = null;
  child.once('exit', (code, signal) => { child.exited = signal ?? `code ${code}`; });
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  child.unref();
  fs.writeFileSync(pidFile(c, s.name), `${child.pid}\n`);
  log(`started (pid ${child.pid}), log ${logFile}`);
  return child;
}

async function waitReady(s, c, e, child, log, since) {
  const deadline = Date.now() + s.readyTimeoutMs;
  let nextBeat = Date.now() + 15_000;
  for (;;) {
    if (await s.probe(c, e, { external: false, deep: true })) {
      log(`ready in ${fmtMs(Date.now() - since)} at ${s.endpoint(e)}`);
      return;
    }
    const died = child ? child.exited : (livePid(s, c) ? null : 'gone');
    if (died || Date.now() > deadline) {
      const why = died ? `exited (${died})` : `not ready after ${fmtMs(s.readyTimeoutMs)}`;
      log(`${why}; last lines of ${serverLog(c, s.name)}:\n${tail(serverLog(c, s.name), 40)}`);
      throw new Error(`${s.name} ${why}`);
    }
    if (Date.now() > nextBeat) {
      log(`still waiting (${fmtMs(Date.now() - since)})…`);
      nextBeat += 15_000;
    }
    await sleep(250);
  }
}

/** Probes every server. Resolves to [{ name, endpoint, up, pid, external }]. */
export async function status({ env = process.env } = {}) {
  const c = config(env);
  const e = endpoints(env);
  return Promise.all(SERVERS.map(async (s) => {
    const external = isExternal(s, env);
    const up = await s.probe(c, e, { external, deep: false }).catch(() => false);
    return { name: s.name, endpoint: s.endpoint(e), up, pid: external ? null : livePid(s, c), external };
  }));
}

/** Stops the servers infra.mjs started (all, or `only` those named). Never throws for "not running". */
export async function down({ env = process.env, log = console.log, only } = {}) {
  const c = config(env);
  const targets = SERVERS.filter((s) => !only || only.includes(s.name));
  await Promise.all(targets.map((s) => stopServer(s, c, prefixed(log, s.name))));
}

async function stopServer(s, c, log) {
  const file = pidFile(c, s.name);
  const pid = livePid(s, c);
  if (!pid) {
    fs.rmSync(file, { force: true });
    log('not running');
    return;
  }
  const t = Date.now();
  killGroup(pid, 'SIGTERM');
  while (isAlive(pid) && Date.now() - t < 30_000) await sleep(100);
  if (isAlive(pid)) {
    log(`pid ${pid} ignored SIGTERM for 30s, sending SIGKILL`);
    killGroup(pid, 'SIGKILL');
    while (isAlive(pid) && Date.now() - t < 35_000) await sleep(100);
  }
  fs.rmSync(file, { force: true });
  log(`stopped (pid ${pid}) in ${fmtMs(Date.now() - t)}`);
}

/** Deletes the build caches; the installed binaries and Kafka jars keep working. */
export function prune({ env = process.env, log = console.log } = {}) {
  const c = config(env);
  for (const d of ['go', 'go-build', 'm2']) {
    const p = path.join(c.cache, d);
    if (!exists(p)) continue;
    fs.rmSync(p, { recursive: true, force: true });
    log(`[infra] removed ${p}`);
  }
}

// ---------------------------------------------------------------------------
// protocol probes (no dependencies)

function tcpOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok) => { sock.destroy(); resolve(ok); };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Sends one length-prefixed request, resolves to the first length-prefixed reply (or null). */
function tcpRequest(host, port, payload, { timeoutMs = 2000, lengthOf } = {}) {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let buf = Buffer.alloc(0);
    const done = (v) => { sock.destroy(); resolve(v); };
    sock.setTimeout(timeoutMs, () => done(null));
    sock.once('error', () => done(null));
    sock.once('close', () => done(null));
    sock.once('connect', () => sock.write(payload));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= lengthOf(buf)) done(buf.subarray(0, lengthOf(buf)));
    });
  });
}

/** Kafka Metadata v4 (supported by brokers 1.0 … 4.x): resolves to the number of live brokers, 0 if no answer. */
async function kafkaMetadataBrokers(host, port) {
  const clientId = Buffer.from('costwatch-infra');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let o = 0;
  o = body.writeInt16BE(3, o); // api_key Metadata
  o = body.writeInt16BE(4, o); // api_version
  o = body.writeInt32BE(1, o); // correlation_id
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  o = body.writeInt32BE(0, o); // topics: [] (none; we only want brokers)
  body.writeInt8(0, o); // allow_auto_topic_creation
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  const reply = await tcpRequest(host, port, Buffer.concat([size, body]), { lengthOf: (b) => 4 + b.readInt32BE(0) });
  if (!reply || reply.length < 16 || reply.readInt32BE(4) !== 1) return 0;
  return reply.readInt32BE(12); // after size, correlation_id, throttle_time_ms
}

/** MongoDB OP_MSG { hello: 1, $db: 'admin' }: resolves true when the reply has ok: 1. */
async function mongoHello(host, port) {
  const doc = bsonDocument([bsonInt32('ping', 1), bsonString('$db', 'admin')]);
  const msg = Buffer.alloc(16 + 4 + 1 + doc.length);
  msg.writeInt32LE(msg.length, 0);
  msg.writeInt32LE(1, 4); // requestID
  msg.writeInt32LE(0, 8); // responseTo
  msg.writeInt32LE(2013, 12); // OP_MSG
  msg.writeUInt32LE(0, 16); // flagBits
  msg.writeUInt8(0, 20); // section kind 0: body
  doc.copy(msg, 21);
  const reply = await tcpRequest(host, port, msg, { lengthOf: (b) => b.readInt32LE(0) });
  if (!reply || reply.length < 26 || reply.readInt32LE(12) !== 2013 || reply[20] !== 0) return false;
  return bsonNumber(reply.subarray(21), 'ok') === 1;
}

function bsonInt32(name, value) {
  const v = Buffer.alloc(4);
  v.writeInt32LE(value);
  return Buffer.concat([Buffer.from([0x10]), Buffer.from(`${name}\0`), v]);
}

function bsonString(name, value) {
  const s = Buffer.from(`${value}\0`);
  const len = Buffer.alloc(4);
  len.writeInt32LE(s.length);
  return Buffer.concat([Buffer.from([0x02]), Buffer.from(`${name}\0`), len, s]);
}

function bsonDocument(elements) {
  const inner = Buffer.concat([...elements, Buffer.from([0])]);
  const len = Buffer.alloc(4);
  len.writeInt32LE(inner.length + 4);
  return Buffer.concat([len, inner]);
}

/** The numeric value of a top-level field of a BSON document, or undefined. */
function bsonNumber(doc, field) {
  const fixed = { 0x01: 8, 0x07: 12, 0x08: 1, 0x09: 8, 0x0a: 0, 0x10: 4, 0x11: 8, 0x12: 8, 0x13: 16, 0x7f: 0, 0xff: 0 };
  let o = 4;
  while (o < doc.length && doc[o] !== 0) {
    const type = doc[o];
    const nameEnd = doc.indexOf(0, o + 1);
    const name = doc.toString('utf8', o + 1, nameEnd);
    const v = nameEnd + 1;
    if (name === field) {
      if (type === 0x01) return doc.readDoubleLE(v);
      if (type === 0x10) return doc.readInt32LE(v);
      if (type === 0x12) return Number(doc.readBigInt64LE(v));
      if (type === 0x08) return doc[v];
      return undefined;
    }
    if (type in fixed) o = v + fixed[type];
    else if (type === 0x02 || type === 0x0d || type === 0x0e) o = v + 4 + doc.readInt32LE(v);
    else if (type === 0x03 || type === 0x04) o = v + doc.readInt32LE(v);
    else if (type === 0x05) o = v + 5 + doc.readInt32LE(v);
    else return undefined; // a type this probe does not need to understand
  }
  return undefined;
}

function httpStatus(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(null));
  });
}

/** Sends an RFC 5424 line over TCP and waits until it shows up in the file. */
async function syslogRoundTrip(host, port, file, timeoutMs = 3000) {
  const token = `infra-ready-${crypto.randomBytes(6).toString('hex')}`;
  const line = `<14>1 ${new Date().toISOString()} ${os.hostname()} costwatch-infra ${process.pid} INFRA_READY - ${token}\n`;
  const sent = await new Promise((resolve) => {
    const sock = net.connect({ host, port }, () => sock.end(line, () => resolve(true)));
    sock.setTimeout(1000, () => { sock.destroy(); resolve(false); });
    sock.once('error', () => resolve(false));
  });
  if (!sent) return false;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exists(file) && fs.readFileSync(file, 'utf8').includes(token)) return true;
    await sleep(100);
  }
  return false;
}

// ---------------------------------------------------------------------------
// operator tools (validation of deploy/ in tests): built with `go install` on first use

export const TOOLS = {
  // Prometheus v3.x is published as module versions v0.3xx.y (v0.315.0 = v3.15.0). Every
  // v0.3xx go.mod except v0.316.0's has replace/exclude directives, which `go install
  // pkg@version` refuses, and v0.316.0 requires pseudo-versions (google/pprof,
  // hashicorp/nomad/api, client_golang/exp of 2026-10) that the module proxy answers with 403.
  // So promtool is built in a throwaway module repeating v0.315.0's directives (`goMod`);
  // that graph resolves and builds with Go 1.26.
  promtool: {
    pkg: 'github.com/prometheus/prometheus/cmd/promtool@v0.315.0',
    goMod: [
      'replace cloud.google.com/go => cloud.google.com/go v0.123.0',
      'exclude github.com/linode/linodego v1.0.0',
      'exclude github.com/grpc-ecosystem/grpc-gateway v1.14.7',
      'exclude google.golang.org/api v0.30.0',
    ],
  },
  kustomize: 'sigs.k8s.io/kustomize/kustomize/v5@v5.7.1',
  // The same module version as the local Alertmanager server, so its graph is known to resolve.
  amtool: `github.com/prometheus/alertmanager/cmd/amtool@${VERSIONS.alertmanager}`,
};

/** Path of the tool's binary, installing it first if needed (one install at a time per cache). */
export async function tool(name, { env = process.env, log = console.log } = {}) {
  const entry = TOOLS[name];
  if (!entry) throw new Error(`unknown tool "${name}"; known: ${Object.keys(TOOLS).join(', ')}`);
  const { pkg, goMod } = typeof entry === 'string' ? { pkg: entry } : entry;
  const c = config(env);
  const out = path.join(c.bin, `${name}-${pkg.split('@')[1]}`);
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(c.bin, { recursive: true });
  log(`installing ${name} (${pkg}, go install; the first build takes minutes)…`);
  await withHeartbeat(log, `building ${name}`, goMod ? goBuildInModule(c, name, pkg, goMod, out) : goInstall(c, name, pkg, out));
  return out;
}

// ---------------------------------------------------------------------------
// helpers: processes, files, go, logging

function goEnv(c) {
  return {
    ...process.env,
    GOPATH: path.join(c.cache, 'go'),
    GOMODCACHE: path.join(c.cache, 'go', 'pkg', 'mod'),
    GOCACHE: path.join(c.cache, 'go-build'),
    CGO_ENABLED: '0',
    // -modcacherw: a plain `rm -rf` of the cache works.
    GOFLAGS: `${process.env.GOFLAGS ?? ''} -modcacherw -buildvcs=false`.trim(),
  };
}

async function goInstall(c, name, pkgAtVersion, out) {
  requireTool('go', 'see https://go.dev/doc/install (Go >= 1.26 needed for Alertmanager)');
  const gobin = path.join(c.bin, `.tmp-${name}-${process.pid}`);
  fs.rmSync(gobin, { recursive: true, force: true });
  await runLogged('go', ['install', '-trimpath', '-ldflags=-s -w', pkgAtVersion], {
    env: { ...goEnv(c), GOBIN: gobin },
    logFile: installLog(c, name),
  });
  // The one file go built (its name drops a /vN major-version suffix).
  const built = path.join(gobin, fs.readdirSync(gobin)[0]);
  fs.renameSync(built, out);
  fs.rmSync(gobin, { recursive: true, force: true });
}

/** `go install pkg@version` for a module whose go.mod directives it refuses: a throwaway main module repeats them. */
async function goBuildInModule(c, name, pkgAtVersion, directives, out) {
  requireTool('go', 'see https://go.dev/doc/install');
  const dir = path.join(c.bin, `.tmp-${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'go.mod'), `module costwatch.local/${name}\n\ngo 1.26\n\n${directives.join('\n')}\n`);
  const options = { cwd: dir, env: goEnv(c), logFile: installLog(c, name) };
  await runLogged('go', ['get', pkgAtVersion], options);
  await runLogged('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', out, pkgAtVersion.split('@')[0]], options);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs a command with output appended to logFile; rejects with the log tail. */
function runLogged(cmd, args, { cwd, env = process.env, logFile }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.appendFileSync(logFile, `=== ${new Date().toISOString()} ${cmd} ${args.join(' ')}\n`);
  const fd = fs.openSync(logFile, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args[0]} failed (${signal ?? `exit ${code}`}); last lines of ${logFile}:\n${tail(logFile, 30)}`));
    });
  });
}

async function withHeartbeat(log, what, promise) {
  const t = Date.now();
  const timer = setInterval(() => log(`still ${what} (${fmtMs(Date.now() - t)})…`), 20_000);
  try {
    return await promise;
  } finally {
    clearInterval(timer);
  }
}

/** One `up` at a time per cache (parallel jest runs): an exclusive lock file holding the pid. */
async function acquireLock(c, log) {
  const lock = path.join(c.run, 'up.lock');
  let waitingSince = null;
  for (;;) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    const holder = readPid(lock);
    if (!holder || !isAlive(holder)) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (waitingSince === null || Date.now() - waitingSince > 30_000) {
      log(`[infra] another \`up\` (pid ${holder}) is running, waiting for it…`);
      waitingSince = Date.now();
    }
    await sleep(500);
  }
}

const serverDir = (c, name) => path.join(c.run, name);
const serverLog = (c, name) => path.join(c.run, name, `${name}.log`);
const pidFile = (c, name) => path.join(c.run, name, `${name}.pid`);
const installLog = (c, name) => path.join(c.logs, `install-${name}.log`);

/** The pid from the server's pid file if that process is alive and is the expected program. */
function livePid(s, c) {
  const pid = readPid(pidFile(c, s.name));
  if (!pid || !isAlive(pid)) return null;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(s.process) ? pid : null;
  } catch {
    return pid; // no /proc: trust the pid file
  }
}

function readPid(file) {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return err.code === 'EPERM';
  }
  try {
    // A zombie (exited, not reaped by a minimal init) is not alive.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/** Our servers are started detached, so each leads its own process group. */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    killQuietly(pid, signal);
  }
}

function killQuietly(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function findExecutable(name, extraDirs = []) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs];
  for (const d of dirs) {
    const p = path.join(d, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return null;
}

function requireTool(name, hint) {
  if (!findExecutable(name)) throw new Error(`\`${name}\` is not on PATH (${hint})`);
}

function splitHostPort(hostPort, defaultPort) {
  const hp = hostPort.trim().replace(/^[a-z]+:\/\//i, '');
  const i = hp.lastIndexOf(':');
  return i > 0 ? [hp.slice(0, i), Number(hp.slice(i + 1))] : [hp, defaultPort];
}

function mongoHostPort(url) {
  const m = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?,]+)/.exec(url);
  return splitHostPort(m ? m[1] : `${HOST}:27017`, 27017);
}

/** base URL + relative path, keeping any path prefix of the base. */
function joinUrl(base, rel) {
  return new URL(rel, base.endsWith('/') ? base : `${base}/`);
}

function hashFiles(files) {
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 10);
}

function exists(p) {
  return fs.existsSync(p);
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `    ${l}`).join('\n');
  } catch {
    return `    (no ${file})`;
  }
}

function prefixed(log, name) {
  return (msg) => log(`[infra] ${name}: ${msg}`);
}

function fmtMs(ms) {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// CLI

function shellQuote(v) {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

async function main(cmd) {
  switch (cmd) {
    case 'up':
      await up();
      return 0;
    case 'status': {
      const rows = await status();
      for (const r of rows) {
        const who = r.external ? 'external' : r.pid ? `pid ${r.pid}` : 'pid -';
        console.log(`${r.name.padEnd(13)} ${r.endpoint.padEnd(48)} ${(r.up ? 'up' : 'down').padEnd(5)} ${who}`);
      }
      return rows.every((r) => r.up) ? 0 : 1;
    }
    case 'down':
      await down();
      return 0;
    case 'prune':
      prune();
      return 0;
    case 'env':
      for (const [k, v] of Object.entries(endpoints())) console.log(`export ${k}=${shellQuote(v)}`);
      return 0;
    case 'tool':
      console.log(await tool(process.argv[3], { log: (m) => console.error(`[infra] ${m}`) }));
      return 0;
    default:
      console.error('usage: node tools/infra/infra.mjs up|status|down|env|prune|tool <name>');
      return 2;
  }
}

function invokedDirectly() {
  try {
    return fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const isMain = invokedDirectly();
if (isMain) {
  main(process.argv[2]).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`[infra] ${err.message}`);
      process.exit(1);
    },
  );
}
