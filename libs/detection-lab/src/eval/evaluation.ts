import { inferSamplingStep } from '@costwatch/detection';
import { alertOnsets } from './alert-episodes';
import type { DetectorDefinition } from './detector-catalog';
import { countEvents, eventMetrics, type EventCounts } from './event-metrics';
import { windowIndexRanges, type LabelledSeries } from './labelled-series';
import { NAB_PROBATION_PERCENT, NAB_PROFILES, normaliseNabScore, probationLength, scoreNabFile, type NabFileScore } from './nab-scorer';

export interface SeriesResult {
  readonly series: string;
  readonly alerts: number;
  readonly windows: number;
  readonly windowsFound: number;
  /** Raw NAB standard-profile score of this file (null detector: −windows). */
  readonly nabRaw: number;
  /** Alert onset timestamps (all, including the probationary period). */
  readonly alertTimesMs: readonly number[];
}

export interface DetectorReport {
  readonly detector: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly nabStandard: number;
  readonly nabLowFP: number;
  readonly nabLowFN: number;
  /** Alerts in the scored part of all series. */
  readonly alerts: number;
  readonly alertsPerSeries: number;
  readonly windows: number;
  readonly windowsFound: number;
  /** Mean over found windows of (first alert − window start); NaN when none found. */
  readonly meanDetectionDelayMs: number;
  readonly series: number;
  readonly points: number;
  readonly elapsedMs: number;
  readonly perSeries: readonly SeriesResult[];
}

export interface EvaluationOptions {
  readonly probationPercent?: number;
  /** Called after each (detector, series) replay, for progress bars. */
  readonly onSeriesDone?: () => void;
}

/**
 * Replays every series through each detector offline (point by point, in time order) and
 * scores the alerts: event-wise precision/recall/F1, alert counts, detection delay and the
 * NAB score under its three profiles. The probationary period (NAB: 15% of each file) is
 * excluded from every metric, not only from NAB.
 */
export function evaluateDetectors(
  corpus: readonly LabelledSeries[],
  detectors: readonly DetectorDefinition[],
  options: EvaluationOptions = {},
): DetectorReport[] {
  return detectors.map((detector) => evaluateDetector(corpus, detector, options));
}

export function evaluateDetector(
  corpus: readonly LabelledSeries[],
  detector: DetectorDefinition,
  options: EvaluationOptions = {},
): DetectorReport {
  const probationPercent = options.probationPercent ?? NAB_PROBATION_PERCENT;
  const started = performance.now();
  const counts: EventCounts[] = [];
  const nab: Record<keyof typeof NAB_PROFILES, NabFileScore[]> = { standard: [], lowFP: [], lowFN: [] };
  const perSeries: SeriesResult[] = [];
  let points = 0;
  for (const series of corpus) {
    const { timestamps, values } = series;
    const stepMs = inferSamplingStep(timestamps);
    const instance = detector.create({ stepMs });
    const anomalous = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) anomalous[i] = instance.update(timestamps[i] as number, values[i] as number) ? 1 : 0;
    points += values.length;

    const onsets = alertOnsets(timestamps, anomalous, detector.params.cooldown, stepMs);
    const detections = new Uint8Array(values.length);
    for (const i of onsets) detections[i] = 1;
    const ranges = windowIndexRanges(timestamps, series.windows);
    const scoredFrom = Math.ceil(probationLength(values.length, probationPercent));
    const seriesCounts = countEvents(timestamps, onsets, ranges, scoredFrom);
    counts.push(seriesCounts);
    let nabRaw = 0;
    for (const profile of Object.keys(nab) as Array<keyof typeof NAB_PROFILES>) {
      const score = scoreNabFile(values.length, detections, ranges, NAB_PROFILES[profile], probationPercent);
      nab[profile].push(score);
      if (profile === 'standard') nabRaw = score.score;
    }
    perSeries.push({
      series: series.name,
      alerts: seriesCounts.alerts,
      windows: seriesCounts.windows,
      windowsFound: seriesCounts.windowsFound,
      nabRaw,
      alertTimesMs: onsets.map((i) => timestamps[i] as number),
    });
    options.onSeriesDone?.();
  }
  const metrics = eventMetrics(counts);
  const delays = counts.flatMap((c) => c.delaysMs);
  const alerts = counts.reduce((sum, c) => sum + c.alerts, 0);
  return {
    detector: detector.name,
    ...metrics,
    nabStandard: normaliseNabScore(nab.standard, NAB_PROFILES.standard),
    nabLowFP: normaliseNabScore(nab.lowFP, NAB_PROFILES.lowFP),
    nabLowFN: normaliseNabScore(nab.lowFN, NAB_PROFILES.lowFN),
    alerts,
    alertsPerSeries: corpus.length > 0 ? alerts / corpus.length : 0,
    windows: counts.reduce((sum, c) => sum + c.windows, 0),
    windowsFound: counts.reduce((sum, c) => sum + c.windowsFound, 0),
    meanDetectionDelayMs: delays.length > 0 ? delays.reduce((a, b) => a + b, 0) / delays.length : Number.NaN,
    series: corpus.length,
    points,
    elapsedMs: performance.now() - started,
    perSeries,
  };
}
