import { SCORE_INDEX, type CompiledRule, type ScoreVector } from '@costwatch/detection';

/** What the daily rule takes from the daily settings. */
export interface DailyRuleSettings {
  /** Days of baseline history before the expression may fire. */
  minHistoryDays: number;
  /** Relative impact floor: |observed − expected| / expected must reach it (0 = off). */
  minRelDelta: number;
}

const dailyRules = new WeakMap<CompiledRule, CompiledRule>();

/**
 * The series' rule for daily totals: the same expression and expected value (plus the
 * relative impact floor: a daily total 0.3 % above a very steady history is not news),
 * history counted in days, no first-seen (a series' first day is announced by its hours, or is the start of
 * a history being collected), severity for a day's worth of impact, and drops only for
 * always-on series (set per judgement).
 */
export function dailyRule(rule: CompiledRule, settings: DailyRuleSettings): CompiledRule {
  let daily = dailyRules.get(rule);
  if (daily === undefined) {
    const floor = settings.minRelDelta;
    daily = {
      ...rule,
      ...(floor > 0 ? { predicate: (scores: ScoreVector) => rule.predicate(scores) && (scores[SCORE_INDEX.relDelta] as number) >= floor } : {}),
      minHistory: settings.minHistoryDays,
      firstSeenMin: Number.POSITIVE_INFINITY,
      dropToZeroMinExpected: Number.POSITIVE_INFINITY,
      severity: { warning: rule.severity.warning * 24, critical: rule.severity.critical * 24 },
    };
    dailyRules.set(rule, daily);
  }
  return daily;
}

