import { DAY_OF_WEEK, HOUR_OF_WEEK, MS, computeBaseline, type BaselineStats, type SeasonalLayout } from '@costwatch/detection';
import type { StoredResolution, StoredSeasonal, StoredStats } from '@costwatch/contracts';

/** One day of a series' history as the baseline needs it: hourly costs (floats) and the day's total (float). */
export interface HistoryDay {
  hours: readonly number[];
  hourCounts: readonly number[];
  total: number;
}

export interface History {
  values: number[];
  timestamps: number[];
}

/**
 * A series' hourly costs from its first recorded hour up to `asOfMs` (exclusive): hours
 * without records after the series exists count as zero cost, and so does a missing day.
 */
export function hourlyHistory(days: Readonly<Record<string, HistoryDay>>, asOfMs: number): History {
  const dates = datesBefore(days, asOfMs);
  const firstDate = dates[0];
  if (!firstDate) return { values: [], timestamps: [] };
  const firstHour = Math.max(0, days[firstDate]?.hourCounts.findIndex((count) => count > 0) ?? 0);
  const values: number[] = [];
  const timestamps: number[] = [];
  // Day by day (one date string and one lookup a day, not an hour: this runs for every series at every day close).
  for (let dayMs = Date.parse(`${firstDate}T00:00:00Z`); dayMs < asOfMs; dayMs += MS.day) {
    const hours = days[new Date(dayMs).toISOString().slice(0, 10)]?.hours;
    for (let hour = dayMs === Date.parse(`${firstDate}T00:00:00Z`) ? firstHour : 0; hour < 24 && dayMs + hour * MS.hour < asOfMs; hour += 1) {
      values.push(hours?.[hour] ?? 0);
      timestamps.push(dayMs + hour * MS.hour);
    }
  }
  return { values, timestamps };
}

/** A series' daily totals from its first day up to `asOfMs` (exclusive); a day without records costs 0. */
export function dailyHistory(days: Readonly<Record<string, HistoryDay>>, asOfMs: number): History {
  const dates = datesBefore(days, asOfMs);
  const firstDate = dates[0];
  if (!firstDate) return { values: [], timestamps: [] };
  const values: number[] = [];
  const timestamps: number[] = [];
  for (let t = Date.parse(`${firstDate}T00:00:00Z`); t < asOfMs; t += MS.day) {
    values.push(days[new Date(t).toISOString().slice(0, 10)]?.total ?? 0);
    timestamps.push(t);
  }
  return { values, timestamps };
}

function datesBefore(days: Readonly<Record<string, HistoryDay>>, asOfMs: number): string[] {
  return Object.keys(days)
    .filter((date) => Date.parse(`${date}T00:00:00Z`) < asOfMs)
    .sort();
}

/**
 * The baseline of one resolution (hours or days) as stored: the statistics of the window
 * (zeros included), its seasonal profile, last month's values for the period being judged,
 * and — for intermittent series — the statistics of the observations with a cost only, so
 * that a batch job is judged on what it costs while it runs, never on being off.
 */
export function resolutionBaseline(history: History, asOfMs: number, windowMs: number, stepMs: number, layout: SeasonalLayout, skipLeadingZeros: boolean): { stats: BaselineStats; stored: StoredResolution } | undefined {
  const stats = computeBaseline(history.values, history.timestamps, { asOfMs, windowMs, seasonal: layout, previousMonth: { stepMs, horizonMs: MS.day }, skipLeadingZeros });
  if (stats.count === 0) return undefined;
  const activeValues: number[] = [];
  const activeTimes: number[] = [];
  const windowStart = asOfMs - windowMs;
  for (let i = 0; i < history.values.length; i++) {
    const t = history.timestamps[i] as number;
    const v = history.values[i] as number;
    if (t >= windowStart && t < asOfMs && v !== 0 && Number.isFinite(v)) {
      activeValues.push(v);
      activeTimes.push(t);
    }
  }
  const activeFraction = activeValues.length / stats.count;
  const active = activeValues.length > 0 && activeFraction < 1 ? computeBaseline(activeValues, activeTimes, { asOfMs, windowMs, seasonal: layout }) : undefined;
  return {
    stats,
    stored: {
      ...statsOf(stats),
      seasonal: seasonalOf(stats),
      previousMonth: stats.previousMonth ? { startMs: stats.previousMonth.startMs, stepMs: stats.previousMonth.stepMs, values: Array.from(stats.previousMonth.values) } : null,
      activeFraction,
      active: active ? { ...statsOf(active), seasonal: seasonalOf(active) } : null,
    },
  };
}

export const hourlyBaseline = (history: History, asOfMs: number, windowDays: number) => resolutionBaseline(history, asOfMs, windowDays * MS.day, MS.hour, HOUR_OF_WEEK, false);

/** Hourly statistics of the last `days` days only (the record detector's window: min and max of the recent range). */
export function recentHourlyStats(history: History, asOfMs: number, windowDays: number): StoredStats | null {
  const stats = computeBaseline(history.values, history.timestamps, { asOfMs, windowMs: windowDays * MS.day, seasonal: null });
  return stats.count === 0 ? null : statsOf(stats);
}

export const dailyBaseline = (days: Readonly<Record<string, HistoryDay>>, asOfMs: number, windowDays: number) =>
  resolutionBaseline(dailyHistory(days, asOfMs), asOfMs, windowDays * MS.day, MS.day, DAY_OF_WEEK, true);

function statsOf(stats: BaselineStats): StoredStats {
  return { count: stats.count, mean: stats.mean, std: stats.std, median: stats.median, mad: stats.mad, meanAbsDev: stats.meanAbsDev, min: stats.min, max: stats.max };
}

function seasonalOf(stats: BaselineStats): StoredSeasonal | null {
  const s = stats.seasonal;
  return s ? { median: Array.from(s.median), mad: Array.from(s.mad), count: Array.from(s.count), pooledMad: s.pooledMad } : null;
}
