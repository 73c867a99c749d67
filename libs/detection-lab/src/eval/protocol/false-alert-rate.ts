import { MS } from '@costwatch/detection';
import type { LabelledSeries } from '../labelled-series';
import { probationLength } from '../nab-scorer';

/** Days of a series that are scored (after the probationary period), from its timestamps. */
export function scoredDays(series: Pick<LabelledSeries, 'timestamps'>, probationPercent: number): number {
  const { timestamps } = series;
  if (timestamps.length < 2) return 0;
  const from = Math.ceil(probationLength(timestamps.length, probationPercent));
  const last = timestamps[timestamps.length - 1] as number;
  const first = timestamps[Math.min(from, timestamps.length - 1)] as number;
  const step = ((timestamps[timestamps.length - 1] as number) - (timestamps[0] as number)) / (timestamps.length - 1);
  return (last - first + step) / MS.day;
}

/** Alerts per 1,000 series-days; every alert on an anomaly-free series is a false one. */
export function alertsPerThousandSeriesDays(alerts: number, seriesDays: number): number {
  return seriesDays > 0 ? (1000 * alerts) / seriesDays : Number.NaN;
}
