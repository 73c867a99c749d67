/**
 * billing_baseline as the baseline service writes it and every reader (the detector) reads
 * it: one document per series per as-of date, built only from data strictly before `asOf`.
 * Owned by the baseline service; change it here, with its writer, never in a reader.
 */

/** Summary statistics of a window of observations (hours or days). */
export interface StoredStats {
  count: number;
  mean: number;
  std: number;
  median: number;
  mad: number;
  meanAbsDev: number;
  min: number;
  max: number;
}

/** Per-slot statistics of a repeating period: hour-of-week for hours, day-of-week for days. */
export interface StoredSeasonal {
  median: number[];
  mad: number[];
  count: number[];
  pooledMad: number;
}

export interface StoredPreviousMonth {
  startMs: number;
  stepMs: number;
  values: number[];
}

/**
 * A series' behaviour at one resolution. `activeFraction` is the share of observations with
 * a cost; when it is low the series is intermittent (batch jobs, dev environments off at
 * night) and `active` holds the statistics of its non-zero observations only.
 */
export interface StoredResolution extends StoredStats {
  seasonal: StoredSeasonal | null;
  previousMonth: StoredPreviousMonth | null;
  activeFraction: number;
  active: (StoredStats & { seasonal: StoredSeasonal | null }) | null;
}

export interface BaselineDocument extends StoredStats {
  /** `<asOf>|<domain>|<project>|<service>|<currency>` */
  _id: string;
  asOf: string;
  windowFrom: string;
  domainId: string;
  projectId: string;
  serviceId: string;
  currency: string;
  serviceName: string;
  /** Hour-of-week profile of the hourly costs. */
  hourOfWeek: StoredSeasonal | null;
  previousMonth: StoredPreviousMonth | null;
  /** Share of hours with a cost, and the statistics of those hours (absent in documents written before it existed). */
  activeFraction?: number;
  active?: (StoredStats & { seasonal: StoredSeasonal | null }) | null;
  /** Hourly statistics of the last 7 days only (the record detector's range). */
  recent?: StoredStats | null;
  /** The daily totals of the window (missing days count as 0), day-of-week aware. */
  daily?: StoredResolution | null;
  computedAt: string;
}

export const baselineDocumentId = (asOf: string, seriesId: string): string => `${asOf}|${seriesId}`;
