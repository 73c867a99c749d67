import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import pino from 'pino';
import { MS, topicNames } from '@costwatch/contracts';
import { EventPublisher, createKafka, ensureTopics } from '@costwatch/kafka';
import { ConfigError, quietSdkNotices, recordPolicyOf } from '@costwatch/config';
import { S3Store } from '@costwatch/s3';
import { PublishRecordsUseCase, type CollectionSummary } from '../application/publish-records.use-case';
import { ResetConsumerGroupUseCase } from '../application/reset-consumer-group.use-case';
import { createSource, type SourceName } from '../application/source-factory';
import { loadCollectorCliConfig, loadReplayArchiveConfig, type CollectorCliConfig } from '../config/collector.config';
import type { CollectionWindow, SourceBatch } from '../domain/billing-source';
import { KafkaConsumerGroupAdmin } from '../infra/consumer-group-admin';
import { FocusCsvSource, focusCsvSourceOptionsSchema } from '../sources';
import { S3ArchiveSource } from '../sources/archive/s3-archive.source';
import { SyntheticSource } from '../sources/synthetic/synthetic.source';
import { parseInstant, windowFromOptions } from './collection-window';

/** Backfill and import from the command line, with a progress bar and a summary line. */
type Progress = (summary: CollectionSummary, unitsDone: number) => void;

async function run(
  work: (useCase: PublishRecordsUseCase, progress: Progress) => Promise<CollectionSummary>,
  expectedUnits: number,
  config: CollectorCliConfig = loadCollectorCliConfig(process.env, configFlag()),
): Promise<void> {
  const logger = pino({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL }, pino.destination(2));
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-cli`, logger });
  const topics = topicNames(config.KAFKA_TOPIC_PREFIX);
  await ensureTopics(kafka, [{ topic: topics.billingRecords, numPartitions: config.RECORDS_PARTITIONS }]);
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const bar = new SingleBar({ format: ' {bar} {percentage}% | {value}/{total} | {published} records, {rejected} rejected', stream: process.stderr, noTTYOutput: false }, Presets.shades_classic);
  // An unknown total (a FOCUS file is streamed) shows counts only.
  bar.start(Math.max(expectedUnits, 1), 0, { published: 0, rejected: 0 });
  try {
    const summary = await work(new PublishRecordsUseCase(publisher, topics, 'collector-cli', recordPolicyOf(config)), (progress, unitsDone) => {
      if (unitsDone > bar.getTotal()) bar.setTotal(unitsDone);
      bar.update(unitsDone, { published: progress.published, rejected: progress.rejected });
    });
    bar.update(bar.getTotal(), { published: summary.published, rejected: summary.rejected });
    bar.stop();
    const rate = summary.seconds > 0 ? Math.round(summary.published / summary.seconds) : summary.published;
    process.stdout.write(
      `${summary.source}: published ${summary.published} records (${summary.firstPeriod ?? '-'} … ${summary.lastPeriod ?? '-'}), rejected ${summary.rejected}, in ${summary.seconds.toFixed(1)} s (${rate}/s)\n`,
    );
  } finally {
    bar.stop();
    await publisher.disconnect();
  }
}

const hoursIn = (window: CollectionWindow) => Math.round((window.to.getTime() - window.from.getTime()) / MS.hour);

const program = new Command()
  .name('costwatch-collect')
  .description('Collect billing records into Kafka (billing.records.v1)')
  .option('--config <path>', 'YAML settings file (its common and collector sections; default: $COSTWATCH_CONFIG); the environment overrides it')
  .showHelpAfterError();

/** The `--config` given before or after the command. */
const configFlag = (): string | undefined => program.opts<{ config?: string }>().config;

program
  .command('collect')
  .description('collect one day (--date) or a range of days (--from/--to) from a source')
  .option('--source <name>', 'synthetic | kakaocloud | aws-cost-explorer', 'synthetic')
  .option('--date <YYYYMMDD>', 'one day')
  .option('--from <YYYYMMDD>', 'first day')
  .option('--to <YYYYMMDD>', 'last day (inclusive)')
  .option('--granularity <g>', 'HOURLY | DAILY', 'HOURLY')
  .option('--labels <file>', 'synthetic source: write the injected anomalies of the window (ground truth) to this JSON file')
  .action(async (options: { source: SourceName; date?: string; from?: string; to?: string; granularity: 'HOURLY' | 'DAILY'; labels?: string }) => {
    const window = windowFromOptions(options, options.granularity);
    const config = loadCollectorCliConfig(process.env, configFlag());
    const source = createSource(options.source, config);
    if (options.labels !== undefined) {
      if (!(source instanceof SyntheticSource)) throw new Error('--labels is only for the synthetic source');
      const labels = source.billing.labels.filter((l) => Date.parse(l.start) < window.to.getTime() && Date.parse(l.end) > window.from.getTime());
      writeFileSync(options.labels, `${JSON.stringify(labels, null, 2)}\n`);
    }
    let batches = 0;
    await run((useCase, progress) => useCase.collect(source, window, (summary) => progress(summary, (batches += 1))), hoursIn(window), config);
  });

program
  .command('import-focus')
  .description('import FOCUS 1.x CSV export(s) (.csv or .csv.gz); parts of one export are summed together')
  .argument('<files...>', 'the export file(s)')
  .option('--cost-column <column>', 'EffectiveCost | BilledCost | ListCost | ContractedCost', 'EffectiveCost')
  .action(async (files: string[], options: { costColumn: string }) => {
    const source = new FocusCsvSource({ files, costColumn: focusCsvSourceOptionsSchema.shape.costColumn.parse(options.costColumn) });
    await run((useCase, progress) => useCase.publishAll('focus', source.collectAll(), (summary) => progress(summary, summary.published + summary.rejected)), 0);
  });

program
  .command('replay-archive')
  .description('republish the archived records of a day (--date) or days (--from/--to) from S3 to Kafka, for backfill and replay')
  .option('--date <YYYYMMDD>', 'one day')
  .option('--from <YYYYMMDD>', 'first day')
  .option('--to <YYYYMMDD>', 'last day (inclusive)')
  .action(async (options: { date?: string; from?: string; to?: string }) => {
    const window = windowFromOptions(options, 'HOURLY');
    const config = loadReplayArchiveConfig(process.env, configFlag());
    const archive = new S3ArchiveSource(
      new S3Store({
        ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
        region: config.S3_REGION,
        accessKeyId: config.S3_ACCESS_KEY_ID,
        secretAccessKey: config.S3_SECRET_ACCESS_KEY,
        bucket: config.S3_BUCKET,
      }),
    );
    const emptyDays: string[] = [];
    let days = 0;
    async function* batches(): AsyncGenerator<SourceBatch> {
      for await (const day of archive.days(window)) {
        if (day.objects === 0) emptyDays.push(day.date);
        yield day.batch;
      }
    }
    await run((useCase, progress) => useCase.publishAll('archive', batches(), (summary) => progress(summary, (days += 1))), hoursIn(window) / 24, config);
    if (emptyDays.length > 0) process.stdout.write(`archive: nothing archived for ${emptyDays.length} day(s): ${emptyDays.join(', ')}\n`);
  });

program
  .command('reset-group')
  .description('move a stopped consumer group to the first message at or after a time, so its service reprocesses from there')
  .requiredOption('--group <id>', 'consumer group, e.g. costwatch-detector; under a topic prefix such as demo. the default groups are demo.costwatch-…')
  .requiredOption('--to <time>', 'ISO 8601 instant (2026-01-01T00:00:00Z) or day (YYYYMMDD, midnight UTC)')
  .option('--topic <name...>', 'topic(s) as named on the broker (default: every topic the group has offsets on)')
  .option('--dry-run', 'print what would change, change nothing')
  .action(async (options: { group: string; to: string; topic?: string[]; dryRun?: boolean }) => {
    const timestamp = parseInstant(options.to);
    const config = loadCollectorCliConfig(process.env, configFlag());
    const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `${config.KAFKA_CLIENT_ID}-cli`, logger: pino({ level: 'warn' }, pino.destination(2)) });
    const admin = kafka.admin();
    await admin.connect();
    const bar = new SingleBar({ format: ' {bar} {value}/{total} partitions | {topic}', stream: process.stderr }, Presets.shades_classic);
    try {
      const useCase = new ResetConsumerGroupUseCase(new KafkaConsumerGroupAdmin(admin));
      bar.start(1, 0, { topic: '' });
      let done = 0;
      const summary = await useCase.execute({ groupId: options.group, timestamp, ...(options.topic ? { topics: options.topic } : {}), dryRun: options.dryRun ?? false }, (reset) => {
        done += 1;
        if (done > bar.getTotal()) bar.setTotal(done);
        bar.update(done, { topic: reset.topic });
      });
      bar.stop();
      for (const p of summary.partitions) {
        process.stdout.write(`  ${p.topic}[${p.partition}]: ${p.from ?? 'none'} -> ${p.to} (${p.toReprocess} to reprocess)\n`);
      }
      const total = summary.partitions.reduce((n, p) => n + p.toReprocess, 0);
      const topics = new Set(summary.partitions.map((p) => p.topic)).size;
      process.stdout.write(
        `${summary.applied ? 'reset' : 'would reset (dry run)'} group ${summary.groupId} to ${timestamp.toISOString()}: ${summary.partitions.length} partitions of ${topics} topic(s), ${total} messages to reprocess\n`,
      );
    } finally {
      bar.stop();
      await admin.disconnect();
    }
  });

quietSdkNotices();
program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
