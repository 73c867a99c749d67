import type { Judgement, Severity } from '@costwatch/detection';

const HOUR_MS = 3_600_000;

/** What one judged hour contributes to a series' anomaly lifecycle (decimal money kept exact). */
export interface JudgedHour {
  hourMs: number;
  anomalous: boolean;
  /** Null unless anomalous. */
  severity: Severity | null;
  /** The hour's cost exactly as the snapshot carried it. */
  observed: string;
  observedValue: number;
  expected: number;
  z: number;
  ratio: number;
  /** The judgement's rule text, e.g. `seed: z > 3 OR ratio > 2` or `seed: drop-to-zero`. */
  rule: string;
  baseline: { fromMs: number; toMs: number; count: number };
  /** What drove it (roll-ups): the members ranked by their share of the delta. */
  contributors?: Contributor[];
}

/** What a judgement contributes to a lifecycle, `observed` the exact amount judged (an hour, a day, a 24-hour window). */
export function judgedHourOf(hourMs: number, observed: string, judgement: Judgement, contributors?: Contributor[]): JudgedHour {
  return {
    hourMs,
    anomalous: judgement.anomalous,
    severity: judgement.severity,
    observed,
    observedValue: judgement.observed,
    expected: judgement.expected,
    z: judgement.z,
    ratio: judgement.ratio,
    rule: judgement.rule,
    baseline: { fromMs: judgement.baselineWindow.startMs, toMs: judgement.baselineWindow.endMs, count: judgement.baselineCount },
    ...(contributors ? { contributors } : {}),
  };
}

/** One member's part in a roll-up's change: its observed and expected cost, and its share of the roll-up's delta. */
export interface Contributor {
  dimension: 'project' | 'service';
  value: string;
  observed: string;
  expected: string;
  share: number;
}

/** The hour that best describes an anomaly: its worst (largest |observed − expected|) anomalous hour. */
export type PeakHour = Omit<JudgedHour, 'anomalous' | 'severity' | 'rule'>;

export interface OpenAnomaly {
  anomalyId: string;
  /** Fixed when the anomaly opens, so every notice of one anomaly is the same alert stream. */
  rule: string;
  windowStartMs: number;
  /** Start of the last anomalous hour; the window ends one hour later. */
  lastAnomalousHourMs: number;
  severity: Severity;
  peak: PeakHour;
  /** What the last published firing notice said, to keep updates quiet. */
  publishedSeverity: Severity;
  publishedPeakValue: number;
  /** Bumped on every published notice (firing, update, resolution). */
  version: number;
  /** Distinct normal hours after the last anomalous one. */
  normalHours: number;
  /** The latest hour that counted (anomalous or normal): older normal hours never count again. */
  lastCountedHourMs: number;
}

export interface LifecycleSettings {
  /** Consecutive normal hours after the last anomalous hour that resolve an anomaly. */
  resolveAfterHours: number;
  /** Re-announce a firing anomaly when its worst hour grows by at least this fraction (0.5 = +50%). */
  updateGrowth: number;
}

/** A notice to publish: the anomaly opened or got notably worse (firing), or ended (resolved). */
export interface LifecycleNotice {
  state: 'firing' | 'resolved';
  reason: 'opened' | 'escalated' | 'grew' | 'resolved';
  anomaly: OpenAnomaly;
}

export interface LifecycleStep {
  open: OpenAnomaly | null;
  notice: LifecycleNotice | null;
  /** The open (or just closed) anomaly changed and its stored document should be rewritten. */
  changed: OpenAnomaly | null;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

export const worseSeverity = (a: Severity, b: Severity): Severity => (SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a);

function peakOf(hour: JudgedHour): PeakHour {
  const { anomalous: _a, severity: _s, rule: _r, ...peak } = hour;
  return peak;
}

const impact = (p: PeakHour): number => Math.abs(p.observedValue - p.expected);

/**
 * The per-series anomaly lifecycle, as a pure function of the open anomaly and one judged
 * hour. Firing on the first anomalous hour; quiet while it lasts unless the severity rises
 * or the worst hour grows by `updateGrowth`; resolved after `resolveAfterHours` distinct
 * normal hours later than the last anomalous one. Hours may arrive out of order
 * (restatements): an earlier anomalous hour only feeds the peak and severity, and an earlier
 * normal hour never counts towards resolution.
 */
export function advanceLifecycle(open: OpenAnomaly | null, hour: JudgedHour, settings: LifecycleSettings, anomalyIdFor: (rule: string, windowStartMs: number) => string): LifecycleStep {
  if (hour.anomalous) {
    const severity = hour.severity ?? 'info';
    if (open === null) {
      const opened: OpenAnomaly = {
        anomalyId: anomalyIdFor(hour.rule, hour.hourMs),
        rule: hour.rule,
        windowStartMs: hour.hourMs,
        lastAnomalousHourMs: hour.hourMs,
        severity,
        peak: peakOf(hour),
        publishedSeverity: severity,
        publishedPeakValue: hour.observedValue,
        version: 1,
        normalHours: 0,
        lastCountedHourMs: hour.hourMs,
      };
      return { open: opened, notice: { state: 'firing', reason: 'opened', anomaly: opened }, changed: opened };
    }
    const next: OpenAnomaly = {
      ...open,
      lastAnomalousHourMs: Math.max(open.lastAnomalousHourMs, hour.hourMs),
      severity: worseSeverity(open.severity, severity),
      peak: impact(peakOf(hour)) > impact(open.peak) ? peakOf(hour) : open.peak,
    };
    if (hour.hourMs > open.lastAnomalousHourMs) {
      next.normalHours = 0;
      next.lastCountedHourMs = hour.hourMs;
    }
    const escalated = SEVERITY_RANK[next.severity] > SEVERITY_RANK[open.publishedSeverity];
    const grew = next.peak.observedValue >= open.publishedPeakValue * (1 + settings.updateGrowth) && next.peak.observedValue > open.publishedPeakValue;
    if (escalated || grew) {
      const updated: OpenAnomaly = { ...next, publishedSeverity: next.severity, publishedPeakValue: next.peak.observedValue, version: open.version + 1 };
      return { open: updated, notice: { state: 'firing', reason: escalated ? 'escalated' : 'grew', anomaly: updated }, changed: updated };
    }
    return { open: next, notice: null, changed: next };
  }

  if (open === null || hour.hourMs <= open.lastCountedHourMs) return { open, notice: null, changed: null };
  const normalHours = open.normalHours + 1;
  if (normalHours >= settings.resolveAfterHours) {
    const resolved: OpenAnomaly = { ...open, normalHours, lastCountedHourMs: hour.hourMs, version: open.version + 1 };
    return { open: null, notice: { state: 'resolved', reason: 'resolved', anomaly: resolved }, changed: resolved };
  }
  return { open: { ...open, normalHours, lastCountedHourMs: hour.hourMs }, notice: null, changed: null };
}

/** The anomaly window: from its first anomalous hour (or day, `stepMs`) to the end of its last one. */
export function anomalyWindow(anomaly: OpenAnomaly, stepMs = HOUR_MS): { startMs: number; endMs: number } {
  return { startMs: anomaly.windowStartMs, endMs: anomaly.lastAnomalousHourMs + stepMs };
}
