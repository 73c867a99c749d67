import { DETECTOR_PRESETS, PRESET_NAMES, generateSyntheticBilling, type PresetName } from '@costwatch/detection';
import { readFileSync, writeFileSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { resolveDetector, type DetectorDefinition } from './detector-catalog';
import { toLabelledSeries } from '../synthetic/synthetic-billing.labels';
import { evaluateDetectors } from './evaluation';
import { loadNabCorpus } from './nab-corpus.loader';
import { writeNabCorpus } from './nab-corpus.writer';
import { locateNabCorpus } from './nab-location';
import { formatProtocolTables, replaceTablesBlock } from './protocol/protocol-tables';
import { runProtocol } from './protocol/run-protocol';
import { formatReportTable, toJsonReport } from './report-table';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where the command writes; the CLI passes the process streams, tests pass buffers. */
export interface CommandOutput {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/**
 * The evaluation command: replays a NAB-layout corpus through detectors and prints NAB scores
 * and event-wise metrics, or writes the synthetic billing ground truth. `argv` excludes the
 * node and script paths. Throws on bad input (the CLI prints the message and exits 1).
 */
export function runEvalCommand(argv: readonly string[], output: CommandOutput): void {
  const { stdout, stderr } = output;
  const program = new Command()
    .name('costwatch-eval')
    .description('Replay labelled series (NAB layout) through the costwatch detectors and score them.')
    .addOption(new Option('--dataset <dir>', 'directory in NAB layout: data/<group>/<file>.csv, labels/combined_windows.json'))
    .addOption(
      new Option('--detector <specs...>', 'detectors to run: a preset name or name:key=value,…').default([...PRESET_NAMES]),
    )
    .addOption(new Option('--json <file>', 'also write the results as JSON (one object per detector)'))
    .addOption(new Option('--probation <fraction>', 'unscored start of each file').default(0.15).argParser(fraction))
    .addOption(new Option('--list-detectors', 'list the detector presets and exit'))
    .addOption(new Option('--generate-synthetic <dir>', 'write the seeded synthetic billing ground truth in NAB layout and exit'))
    .addOption(new Option('--seed <n>', 'seed of the synthetic generator').default(42).argParser(integer))
    .addOption(new Option('--days <n>', 'days of hourly data to generate').default(120).argParser(integer))
    .addOption(new Option('--protocol', 'tune every preset on one part of the data and report it on another (NAB halves, synthetic seeds and ranges)'))
    .addOption(new Option('--nab <dir>', 'protocol: the NAB corpus (default: NAB_DATASET or the shared workspace); "off" for the synthetic part only'))
    .addOption(new Option('--synthetic-size <days>x<projects>', 'protocol: size of each synthetic dataset').default('120x8'))
    .addOption(new Option('--write-doc <file>', 'protocol: replace the tables block of this markdown file'))
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (text) => stdout.write(text), writeErr: (text) => stderr.write(text) });
  program.parse(argv, { from: 'user' });
  const options = program.opts<{
    dataset?: string;
    detector: string[];
    json?: string;
    probation: number;
    listDetectors?: boolean;
    generateSynthetic?: string;
    seed: number;
    days: number;
    protocol?: boolean;
    nab?: string;
    writeDoc?: string;
    syntheticSize: string;
  }>();

  if (options.listDetectors === true) {
    for (const name of PRESET_NAMES) stdout.write(`${name.padEnd(10)} ${DETECTOR_PRESETS[name].description}\n`);
    return;
  }
  if (options.generateSynthetic !== undefined) {
    const generated = generateSyntheticBilling({ seed: options.seed, days: options.days });
    const corpus = toLabelledSeries(generated);
    writeNabCorpus(options.generateSynthetic, corpus);
    const windows = corpus.reduce((sum, s) => sum + s.windows.length, 0);
    stdout.write(
      `wrote ${corpus.length} hourly series (${options.days} days, seed ${options.seed}, ${windows} labelled anomalies) to ${options.generateSynthetic}\n`,
    );
    return;
  }
  if (options.protocol === true) {
    runProtocolCommand({ ...options, presets: options.detector.map(presetName) }, output);
    return;
  }
  const dataset = options.dataset;
  if (dataset === undefined) throw new UsageError('--dataset <dir> is required (or --protocol, --generate-synthetic <dir>, --list-detectors)');

  const detectors: DetectorDefinition[] = options.detector.map((spec) => resolveDetector(spec));
  const corpus = loadNabCorpus(dataset);
  const bar = stderr.isTTY === true
    ? new SingleBar({ stream: stderr, format: 'replay [{bar}] {percentage}% | {value}/{total} series×detectors | {duration_formatted}' })
    : null;
  bar?.start(corpus.length * detectors.length, 0);
  const reports = evaluateDetectors(corpus, detectors, {
    probationPercent: options.probation,
    onSeriesDone: () => bar?.increment(),
  });
  bar?.stop();

  const points = corpus.reduce((sum, s) => sum + s.values.length, 0);
  const windows = corpus.reduce((sum, s) => sum + s.windows.length, 0);
  stdout.write(`${dataset}: ${corpus.length} series, ${points} points, ${windows} labelled windows\n\n`);
  stdout.write(`${formatReportTable(reports)}\n`);
  if (options.json !== undefined) {
    writeFileSync(options.json, `${JSON.stringify(toJsonReport(reports), null, 2)}\n`);
    stdout.write(`\nJSON written to ${options.json}\n`);
  }
}

/** The command line that regenerates the tables (what docs/detection.md quotes). */
export const TABLES_COMMAND = 'npm run eval:tables';

function presetName(spec: string): PresetName {
  if (!(PRESET_NAMES as readonly string[]).includes(spec)) throw new UsageError(`--protocol tunes presets by name; "${spec}" is not one (known: ${PRESET_NAMES.join(', ')})`);
  return spec as PresetName;
}

function runProtocolCommand(options: { nab?: string; json?: string; writeDoc?: string; syntheticSize: string; presets: readonly PresetName[] }, output: CommandOutput): void {
  const size = /^(\d+)x(\d+)$/.exec(options.syntheticSize);
  if (size === null) throw new UsageError(`--synthetic-size must be <days>x<projects>, e.g. 120x8; got "${options.syntheticSize}"`);
  const { stdout, stderr } = output;
  let nabDirectory: string | undefined;
  if (options.nab !== 'off') {
    const located = options.nab === undefined ? locateNabCorpus() : { found: options.nab, candidates: [options.nab] };
    if (located.found === undefined) throw new UsageError(`NAB corpus not found (set NAB_DATASET or --nab <dir>, or --nab off); looked in ${located.candidates.join(', ')}`);
    nabDirectory = located.found;
  }
  const started = performance.now();
  const results = runProtocol({
    presets: options.presets,
    syntheticShape: { days: Number(size[1]), projectsPerDomain: Number(size[2]) },
    ...(nabDirectory === undefined ? {} : { nab: loadNabCorpus(nabDirectory) }),
    onProgress: (message) => stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${message}\n`),
  });
  const block = formatProtocolTables(results, TABLES_COMMAND);
  stdout.write(`${block}\n`);
  if (options.json !== undefined) {
    writeFileSync(options.json, `${JSON.stringify(results, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`);
    stdout.write(`\nJSON written to ${options.json}\n`);
  }
  if (options.writeDoc !== undefined) {
    writeFileSync(options.writeDoc, replaceTablesBlock(readFileSync(options.writeDoc, 'utf8'), block));
    stdout.write(`tables written to ${options.writeDoc}\n`);
  }
}

function integer(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw new InvalidArgumentError('expected an integer');
  return value;
}

function fraction(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value >= 1) throw new InvalidArgumentError('expected a fraction in [0, 1)');
  return value;
}

