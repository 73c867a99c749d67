/**
 * Detection throughput on one core (not a test: figures vary by machine).
 *
 *   npm run build && node dist/bench/detection/evaluations.bench.js [--series 10000] [--days 90]
 *
 * 1. Stateless evaluations per second against precomputed baselines — what the detector
 *    service does per hourly snapshot — for the seed z/ratio rule and for the hour-of-week
 *    median/MAD rule, through the allocation-free `judgeObservation` and through `evaluate`
 *    (which also builds the Judgement object an alert needs).
 * 2. `computeBaseline` per second (30 days of hourly data, hour-of-week profile): the daily
 *    baseline job's unit of work.
 * 3. Replaying N days × M hourly series in-process through streaming detectors that rebuild
 *    their baseline at every UTC midnight: series by series (how the evaluation harness
 *    replays) and hour by hour with every detector alive (how a live process would).
 */
import {
  compileRule,
  computeBaseline,
  createScoreVector,
  evaluate,
  HOUR_OF_WEEK,
  judgeObservation,
  MS,
  SeededRandom,
  SEED_RULE,
  type BaselineStats,
} from '@costwatch/detection';
import { resolveDetector, type SeriesDetector } from '@costwatch/detection-lab';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length - 1; i += 2) args.set(process.argv[i] as string, process.argv[i + 1] as string);
const SERIES = Number(args.get('--series') ?? 10_000);
const DAYS = Number(args.get('--days') ?? 90);
const START = Date.UTC(2024, 0, 1);

function hourlyCost(random: SeededRandom, hours: number, out: Float64Array, level: number): void {
  for (let h = 0; h < hours; h++) {
    const daily = 1 + 0.4 * Math.cos((2 * Math.PI * (h % 24 - 14)) / 24);
    const weekend = Math.floor(h / 24) % 7 >= 5 ? 0.7 : 1;
    out[h] = Math.max(0, level * daily * weekend * (1 + random.normal(0, 0.05)));
  }
}

function rate(count: number, ms: number): string {
  const perSecond = (count / ms) * 1000;
  return perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : `${(perSecond / 1e3).toFixed(0)} k/s`;
}

function timed(label: string, count: number, body: () => number): number {
  body(); // warm-up pass for the JIT
  const started = performance.now();
  const sink = body();
  const elapsed = performance.now() - started;
  process.stdout.write(`${label.padEnd(64)} ${rate(count, elapsed).padStart(10)}   (${count.toLocaleString('en-US')} in ${elapsed.toFixed(0)} ms, sink ${sink})\n`);
  return (count / elapsed) * 1000;
}

function benchStatelessEvaluations(): void {
  process.stdout.write('\n1. stateless evaluations against precomputed baselines\n');
  const random = new SeededRandom(1);
  const baselines: BaselineStats[] = [];
  const history = new Float64Array(30 * 24);
  const times = Float64Array.from({ length: 30 * 24 }, (_, h) => START + h * MS.hour);
  for (let s = 0; s < 1_000; s++) {
    hourlyCost(random, history.length, history, random.uniform(1, 100));
    baselines.push(computeBaseline(history, times, { asOfMs: START + 30 * MS.day, seasonal: HOUR_OF_WEEK }));
  }
  const observations = Float64Array.from({ length: 4_096 }, () => random.uniform(0, 200));
  const seed = compileRule(SEED_RULE);
  const seasonal = compileRule({ name: 'billing', expression: 'abs(seasonalZ) > 10 AND relDelta >= 50%', expected: 'seasonal', recurring: null });
  const scores = createScoreVector();
  const n = 5_000_000;
  const at = START + 30 * MS.day + 13 * MS.hour;
  const loop = (rule: typeof seed) => (): number => {
    let anomalies = 0;
    for (let i = 0; i < n; i++) {
      const verdict = judgeObservation(at + (i % 24) * MS.hour, observations[i & 4095] as number, baselines[i % 1_000] as BaselineStats, rule, scores, Number.NaN);
      if (verdict === 'anomaly') anomalies++;
    }
    return anomalies;
  };
  timed('z/ratio (seed rule), judgeObservation', n, loop(seed));
  timed('hour-of-week median/MAD (seasonalZ + relDelta), judgeObservation', n, loop(seasonal));
  const m = 1_000_000;
  timed('z/ratio (seed rule), evaluate() with Judgement object', m, () => {
    let anomalies = 0;
    for (let i = 0; i < m; i++) {
      if (evaluate({ timestampMs: at, value: observations[i & 4095] as number }, baselines[i % 1_000] as BaselineStats, seed).anomalous) anomalies++;
    }
    return anomalies;
  });
  timed('hour-of-week median/MAD, evaluate() with Judgement object', m, () => {
    let anomalies = 0;
    for (let i = 0; i < m; i++) {
      if (evaluate({ timestampMs: at, value: observations[i & 4095] as number }, baselines[i % 1_000] as BaselineStats, seasonal).anomalous) anomalies++;
    }
    return anomalies;
  });

  process.stdout.write('\n2. baseline computation (30 days hourly, hour-of-week profile)\n');
  const k = 20_000;
  timed('computeBaseline', k, () => {
    let total = 0;
    for (let i = 0; i < k; i++) total += computeBaseline(history, times, { asOfMs: START + 30 * MS.day }).count;
    return total;
  });
}

function benchReplay(presets: readonly string[]): void {
  const hours = DAYS * 24;
  const points = hours * SERIES;
  process.stdout.write(`\n3. replay ${DAYS} days × ${SERIES.toLocaleString('en-US')} hourly series in-process (${points.toLocaleString('en-US')} points)\n`);
  const random = new SeededRandom(2);
  // Values generated up front (one Float64Array per series) so that only detection is timed.
  const values = Array.from({ length: SERIES }, () => {
    const series = new Float64Array(hours);
    hourlyCost(random, hours, series, random.uniform(1, 100));
    if (random.chance(0.3)) {
      const spike = random.integer(35 * 24, hours - 1);
      series[spike] = (series[spike] as number) * 5;
    }
    return series;
  });
  const report = (preset: string, order: string, elapsed: number, anomalies: number): void => {
    const rssMb = process.memoryUsage().rss / 1024 / 1024;
    process.stdout.write(
      `${preset.padEnd(9)} ${order.padEnd(40)} ${(elapsed / 1000).toFixed(1).padStart(6)} s ${rate(points, elapsed).padStart(10)}  ${String(anomalies).padStart(7)} anomalous points  rss ${rssMb.toFixed(0)} MB\n`,
    );
  };
  for (const preset of presets) {
    const definition = resolveDetector(preset);
    // Harness order: each series replayed start to end by its own detector, then dropped.
    let started = performance.now();
    let anomalies = 0;
    for (const series of values) {
      const detector = definition.create({ stepMs: MS.hour });
      for (let h = 0; h < hours; h++) if (detector.update(START + h * MS.hour, series[h] as number)) anomalies++;
    }
    report(preset, 'series by series (evaluation harness)', performance.now() - started, anomalies);
    // Live order: all detectors alive, hour by hour across every series.
    started = performance.now();
    anomalies = 0;
    const detectors: SeriesDetector[] = values.map(() => definition.create({ stepMs: MS.hour }));
    for (let h = 0; h < hours; h++) {
      const t = START + h * MS.hour;
      for (let s = 0; s < SERIES; s++) if ((detectors[s] as SeriesDetector).update(t, (values[s] as Float64Array)[h] as number)) anomalies++;
    }
    report(preset, 'hour by hour, all series live', performance.now() - started, anomalies);
  }
}

process.stdout.write(`node ${process.version}, one thread\n`);
benchStatelessEvaluations();
benchReplay(['seed', 'extreme', 'billing']);
