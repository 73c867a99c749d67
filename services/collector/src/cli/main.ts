import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import pino from 'pino';
import { topicNames } from '@costwatch/contracts';
import { EventPublisher, createKafka, ensureTopics } from '@costwatch/kafka';
import { ConfigError } from '@costwatch/config';
import { PublishRecordsUseCase, type CollectionSummary } from '../application/publish-records.use-case';
import { createSource, type SourceName } from '../application/source-factory';
import { loadCollectorCliConfig } from '../config/collector.config';
import type { CollectionWindow } from '../domain/billing-source';
import { FocusCsvSource, focusCsvSourceOptionsSchema } from '../sources';
import { windowFromOptions } from './collection-window';

/** Backfill and import from the command line, with a progress bar and a summary line. */
type Progress = (summary: CollectionSummary, unitsDone: number) => void;

async function run(work: (useCase: PublishRecordsUseCase, progress: Progress) => Promise<CollectionSummary>, expectedUnits: number): Promise<void> {
  const config = loadCollectorCliConfig();
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
    const summary = await work(new PublishRecordsUseCase(publisher, topics, 'collector-cli'), (progress, unitsDone) => {
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

const hoursIn = (window: CollectionWindow) => Math.round((window.to.getTime() - window.from.getTime()) / 3_600_000);

const program = new Command()
  .name('costwatch-collect')
  .description('Collect billing records into Kafka (billing.records.v1)')
  .showHelpAfterError();

program
  .command('collect')
  .description('collect one day (--date) or a range of days (--from/--to) from a source')
  .option('--source <name>', 'synthetic | kakaocloud | aws-cost-explorer', 'synthetic')
  .option('--date <YYYYMMDD>', 'one day')
  .option('--from <YYYYMMDD>', 'first day')
  .option('--to <YYYYMMDD>', 'last day (inclusive)')
  .option('--granularity <g>', 'HOURLY | DAILY', 'HOURLY')
  .action(async (options: { source: SourceName; date?: string; from?: string; to?: string; granularity: 'HOURLY' | 'DAILY' }) => {
    const window = windowFromOptions(options, options.granularity);
    const config = loadCollectorCliConfig();
    const source = createSource(options.source, config);
    let batches = 0;
    await run((useCase, progress) => useCase.collect(source, window, (summary) => progress(summary, (batches += 1))), hoursIn(window));
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

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
