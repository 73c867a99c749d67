import { SeededRandom, generateSyntheticBilling } from '@costwatch/detection';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { toLabelledSeries } from '../synthetic/synthetic-billing.labels';
import { DetectorSpecError } from './detector-params';
import { runEvalCommand, UsageError } from './eval-command';
import { loadNabCorpus } from './nab-corpus.loader';
import { formatNabTimestamp } from './nab-timestamp';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function run(argv: string[]): string {
  const stdout = capture();
  const stderr = capture();
  runEvalCommand(argv, { stdout: stdout.stream, stderr: stderr.stream });
  return stdout.text();
}

/** A tiny corpus written by hand in NAB layout (5-minute and hourly steps, one unlabelled file). */
function writeTinyCorpus(directory: string): void {
  const random = new SeededRandom(21);
  const start = Date.UTC(2024, 3, 1);
  const files: Record<string, { step: number; rows: number; value: (i: number) => number }> = {
    'alpha/spike.csv': { step: 300_000, rows: 2016, value: (i) => (i === 1500 ? 90 : 40 + random.normal(0, 1)) },
    'alpha/quiet.csv': { step: 300_000, rows: 2016, value: () => 10 + random.normal(0, 0.5) },
    'beta/shift.csv': { step: 3_600_000, rows: 24 * 30, value: (i) => (i >= 24 * 20 ? 300 : 100) + random.normal(0, 3) },
  };
  for (const [name, file] of Object.entries(files)) {
    mkdirSync(join(directory, 'data', name.split('/')[0] as string), { recursive: true });
    const rows = Array.from({ length: file.rows }, (_, i) => `${formatNabTimestamp(start + i * file.step)},${file.value(i).toFixed(3)}`);
    writeFileSync(join(directory, 'data', name), `timestamp,value\n${rows.join('\n')}\n`);
  }
  const label = (ms: number): string => `${formatNabTimestamp(ms)}.000000`;
  mkdirSync(join(directory, 'labels'));
  writeFileSync(
    join(directory, 'labels', 'combined_windows.json'),
    JSON.stringify({
      'alpha/spike.csv': [[label(start + 1450 * 300_000), label(start + 1550 * 300_000)]],
      'beta/shift.csv': [[label(start + (24 * 20 - 12) * 3_600_000), label(start + (24 * 20 + 12) * 3_600_000)]],
    }),
  );
}

describe('evaluation command on a generated corpus in NAB layout', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'costwatch-eval-'));
    writeTinyCorpus(join(directory, 'tiny'));
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('loads every group/file with its windows (a file missing from the labels has none)', () => {
    const corpus = loadNabCorpus(join(directory, 'tiny'));
    expect(corpus.map((s) => s.name)).toEqual(['alpha/quiet.csv', 'alpha/spike.csv', 'beta/shift.csv']);
    expect(corpus[0]?.windows).toEqual([]);
    expect(corpus[1]?.windows).toEqual([{ startMs: Date.UTC(2024, 3, 1) + 1450 * 300_000, endMs: Date.UTC(2024, 3, 1) + 1550 * 300_000 }]);
    expect(corpus[1]?.values.length).toBe(2016);
  });

  it('prints a table and writes one JSON object per detector with the required fields', () => {
    const json = join(directory, 'out.json');
    const stdout = run(['--dataset', join(directory, 'tiny'), '--detector', 'seed', 'extreme', 'robust:window=3d,rule=abs(robustZ) > 7', '--json', json]);
    expect(stdout).toContain('3 series, 4752 points, 2 labelled windows');
    expect(stdout).toMatch(/detector\s+NAB std\s+NAB lowFP\s+NAB lowFN\s+precision\s+recall\s+F1\s+alerts/);
    const reports = JSON.parse(readFileSync(json, 'utf8')) as Array<Record<string, unknown>>;
    expect(reports.map((r) => r.detector)).toEqual(['seed', 'extreme', 'robust:window=3d,rule=abs(robustZ) > 7']);
    expect(reports.map((r) => r.default)).toEqual([false, false, false]);
    for (const report of reports) {
      for (const key of ['detector', 'precision', 'recall', 'f1', 'nabStandard', 'alerts', 'alertsPerSeries', 'meanDetectionDelayMs']) {
        expect(report).toHaveProperty(key);
      }
    }
    const extreme = reports[1] as { recall: number; windowsFound: number; nabStandard: number };
    expect(extreme.windowsFound).toBe(2);
    expect(extreme.recall).toBe(1);
    expect(extreme.nabStandard).toBeGreaterThan(50);
  });

  it('writes the synthetic ground truth in NAB layout and reads it back unchanged', () => {
    const target = join(directory, 'synthetic');
    expect(run(['--generate-synthetic', target, '--seed', '7', '--days', '60'])).toMatch(/wrote \d+ hourly series \(60 days, seed 7/);
    const read = loadNabCorpus(target);
    const generated = toLabelledSeries(generateSyntheticBilling({ seed: 7, days: 60 })).sort((a, b) => a.name.localeCompare(b.name));
    expect(read.map((s) => s.name)).toEqual(generated.map((s) => s.name));
    read.forEach((series, k) => {
      const original = generated[k];
      expect(Array.from(series.values)).toEqual(Array.from(original?.values ?? []));
      expect(Array.from(series.timestamps)).toEqual(Array.from(original?.timestamps ?? []));
      expect(series.windows).toEqual(original?.windows);
    });
  });

  it('protocol: tunes on one part and reports on the other, marks the default preset, rewrites the doc block', () => {
    const json = join(directory, 'protocol.json');
    const doc = join(directory, 'detection.md');
    writeFileSync(doc, '# Detection\n\n<!-- eval:tables:start -->\nold\n<!-- eval:tables:end -->\n\nafter\n');
    const stdout = run(['--protocol', '--nab', join(directory, 'tiny'), '--detector', 'extreme', 'billing', '--synthetic-size', '45x1', '--json', json, '--write-doc', doc]);
    expect(stdout).toContain('| **billing** (default) | shipped | as shipped |');
    const results = JSON.parse(readFileSync(json, 'utf8')) as Array<{ preset: string; default: boolean; nab: { shipped: { tune: { windows: number }; report: { windows: number } } } }>;
    expect(results.map((r) => [r.preset, r.default])).toEqual([
      ['extreme', false],
      ['billing', true],
    ]);
    // alpha/spike.csv and alpha/quiet.csv are dealt to different halves; beta/shift.csv (alone in its group) is tuned on.
    const windows = results[0]!.nab.shipped;
    expect(windows.tune.windows + windows.report.windows).toBe(2);
    const written = readFileSync(doc, 'utf8');
    expect(written).not.toContain('\nold\n');
    expect(written).toContain('Generated by `npm run eval:tables`');
    expect(written.endsWith('<!-- eval:tables:end -->\n\nafter\n')).toBe(true);
    expect(() => run(['--protocol', '--nab', join(directory, 'tiny'), '--detector', 'extreme:window=3d'])).toThrow(/tunes presets by name/);
  }, 60_000);

  it('lists the detectors', () => {
    expect(run(['--list-detectors'])).toMatch(/^seed\s+seed rule/m);
  });

  it('names the problem on bad input', () => {
    expect(() => run([])).toThrow(UsageError);
    expect(() => run(['--dataset', join(directory, 'tiny'), '--detector', 'nope'])).toThrow(DetectorSpecError);
    expect(() => run(['--dataset', join(directory, 'tiny'), '--detector', 'seed:window=soon'])).toThrow(/window: invalid duration "soon"/);
    expect(() => run(['--dataset', join(directory, 'missing')])).toThrow(/cannot read labels/);
  });
});
