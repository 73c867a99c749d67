import { MS } from './duration';

/**
 * Where a timestamp falls in a repeating calendar period, e.g. hour-of-week (period one week,
 * slot one hour) or 5-minute-of-day. Slots are computed in UTC; `originMs` moves slot 0 to a
 * chosen instant — the default makes hour-of-week slot 0 Monday 00:00 UTC (the Unix epoch was a
 * Thursday, three days later).
 */
export interface SeasonalLayout {
  readonly periodMs: number;
  readonly slotMs: number;
  readonly originMs: number;
}

export const MONDAY_ORIGIN_MS = -3 * MS.day;

export const HOUR_OF_WEEK: SeasonalLayout = { periodMs: MS.week, slotMs: MS.hour, originMs: MONDAY_ORIGIN_MS };

/** Day-of-week (slot 0 = Monday, UTC): the seasonal profile of daily totals. */
export const DAY_OF_WEEK: SeasonalLayout = { periodMs: MS.week, slotMs: MS.day, originMs: MONDAY_ORIGIN_MS };

export function slotCount(layout: SeasonalLayout): number {
  return Math.max(1, Math.round(layout.periodMs / layout.slotMs));
}

export function seasonalSlot(timestampMs: number, layout: SeasonalLayout): number {
  const slots = slotCount(layout);
  const k = Math.floor((timestampMs - layout.originMs) / layout.slotMs);
  // k − ⌊k / slots⌋ · slots rather than %: a floating-point remainder (fmod) costs several
  // times more, and this runs for every point of every baseline rebuild. Always in [0, slots).
  return k - Math.floor(k / slots) * slots;
}
