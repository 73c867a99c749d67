import {
  DETECTOR_PRESETS,
  SEED_RULE,
  compileRule,
  parseDuration,
  parseThresholdExpression,
  scoresUsed,
  type ScoreName,
  type CompiledRule,
  type DetectionRule,
  type ExpectedValue,
  type SeverityLevels,
  type ThresholdExpression,
} from '@costwatch/detection';
import { matchesAll, type MatchableSeries, type SeriesMatcher } from './series-matcher';

const HOUR_MS = 3_600_000;

export const DETECTION_PRESET_NAMES = ['seed', 'billing', 'extreme'] as const;
export type DetectionPresetName = (typeof DETECTION_PRESET_NAMES)[number];

/**
 * A rule as configured: the expression plus the guards, every one optional so that a
 * per-series override only states what differs. `null` switches a guard off.
 */
export interface RuleSettings {
  name?: string;
  preset?: DetectionPresetName;
  /** Threshold expression (string form); replaces the preset's. */
  expression?: string;
  /** $ impact floor: the expression must also see |observed − expected| ≥ this. 0 = off. */
  minAbsDelta?: number;
  /** Relative impact floor (fraction): |observed − expected| / expected ≥ this. 0 = off. */
  minRelDelta?: number;
  minHistoryHours?: number;
  firstSeenMin?: number | null;
  dropToZeroMin?: number | null;
  recurringTolerance?: number | null;
  severity?: SeverityLevels;
}

/**
 * Scores that need per-series streaming state (EWMA, half-space trees, ADWIN drift). The
 * service judges against stored as-of baselines and keeps no such state, so a rule naming
 * one of them would never fire: it is refused at startup instead.
 */
export const STREAMING_SCORES: ReadonlySet<ScoreName> = new Set<ScoreName>(['ewmaZ', 'hst', 'drift']);

/** Throws, naming the score, when the expression uses one the service cannot compute. */
export function assertServiceScores(expression: string): void {
  const unsupported = [...scoresUsed(parseThresholdExpression(expression))].filter((score) => STREAMING_SCORES.has(score));
  if (unsupported.length > 0) {
    throw new Error(`score${unsupported.length > 1 ? 's' : ''} ${unsupported.map((s) => `"${s}"`).join(', ')} need per-series streaming state, which the detector service does not keep (usable in the evaluation CLI only); the service computes z, ratio, delta, absDelta, relDelta, robustZ, seasonalZ and extremeZ`);
  }
}

/** Which stored window a preset judges against: the 30-day baseline, or the last 7 days (the record detector). */
export type BaselineWindow = 'full' | 'recent';

interface PresetRule {
  window?: BaselineWindow;
  expression: string;
  expected: ExpectedValue;
  minHistoryHours: number;
  firstSeenMin: number | null;
  dropToZeroMin: number | null;
  recurringTolerance: number | null;
}

const billing = DETECTOR_PRESETS.billing.params;
const extreme = DETECTOR_PRESETS.extreme.params;

/** The library's presets, as stateless rules against the stored as-of baselines. */
export const PRESET_RULES: Readonly<Record<DetectionPresetName, PresetRule>> = {
  seed: { expression: String(SEED_RULE.expression), expected: 'mean', minHistoryHours: 24, firstSeenMin: 0, dropToZeroMin: null, recurringTolerance: null },
  billing: {
    expression: billing.rule,
    expected: billing.expected,
    minHistoryHours: parseDuration(billing.minHistory) / HOUR_MS,
    firstSeenMin: billing.firstSeen,
    dropToZeroMin: billing.dropToZero,
    recurringTolerance: billing.recurring,
  },
  // The record detector: beyond the previous 7 days' range (the stored baseline's `recent` window).
  extreme: { window: 'recent', expression: extreme.rule, expected: extreme.expected, minHistoryHours: 24, firstSeenMin: null, dropToZeroMin: null, recurringTolerance: null },
};

const recentWindowRules = new WeakSet<CompiledRule>();

/** The stored window a compiled rule judges against. */
export const windowOf = (rule: CompiledRule): BaselineWindow => (recentWindowRules.has(rule) ? 'recent' : 'full');

function compileSettings(settings: RuleSettings, rule: DetectionRule): CompiledRule {
  const compiled = compileRule(rule);
  if (PRESET_RULES[settings.preset ?? 'seed'].window === 'recent') recentWindowRules.add(compiled);
  return compiled;
}

/** Throws an error naming the problem (the caller names the setting). */
export function buildDetectionRule(settings: RuleSettings): DetectionRule {
  const presetName = settings.preset ?? 'seed';
  const preset = PRESET_RULES[presetName];
  assertServiceScores(settings.expression ?? preset.expression);
  const base = parseThresholdExpression(settings.expression ?? preset.expression);
  const floors: ThresholdExpression[] = [];
  if ((settings.minAbsDelta ?? 0) > 0) floors.push({ score: 'absDelta', op: '>=', value: settings.minAbsDelta ?? 0 });
  if ((settings.minRelDelta ?? 0) > 0) floors.push({ score: 'relDelta', op: '>=', value: settings.minRelDelta ?? 0 });
  const expression: ThresholdExpression = floors.length > 0 ? { all: [base, ...floors] } : base;
  const firstSeen = settings.firstSeenMin === undefined ? preset.firstSeenMin : settings.firstSeenMin;
  const dropToZero = settings.dropToZeroMin === undefined ? preset.dropToZeroMin : settings.dropToZeroMin;
  const recurring = settings.recurringTolerance === undefined ? preset.recurringTolerance : settings.recurringTolerance;
  return {
    name: settings.name ?? (settings.expression === undefined ? presetName : 'custom'),
    expression,
    expected: preset.expected,
    minHistory: settings.minHistoryHours ?? preset.minHistoryHours,
    firstSeen: firstSeen === null ? null : { minObserved: firstSeen },
    dropToZero: dropToZero === null ? null : { minExpected: dropToZero },
    recurring: recurring === null ? null : { tolerance: recurring },
    ...(settings.severity ? { severity: settings.severity } : {}),
  };
}

/** An override inherits the global settings it does not state; naming a preset drops the global expression. */
export function overrideRule(global: RuleSettings, settings: RuleSettings, index: number): DetectionRule {
  const { expression: _expression, ...withoutExpression } = global;
  const inherited = settings.preset !== undefined ? withoutExpression : global;
  return buildDetectionRule({ ...inherited, name: `override-${index + 1}`, ...settings });
}

export interface RuleOverride {
  matchers: readonly SeriesMatcher[];
  settings: RuleSettings;
}

/**
 * Which compiled rule judges a series: the first override whose matchers all match, else
 * the global rule. Overrides inherit every global setting they do not state. Rules are
 * compiled once, at startup; the choice per series is cached.
 */
export class RuleBook {
  readonly global: CompiledRule;
  private readonly overrides: ReadonlyArray<{ matchers: readonly SeriesMatcher[]; rule: CompiledRule }>;
  private readonly chosen = new Map<string, CompiledRule>();

  constructor(global: RuleSettings, overrides: readonly RuleOverride[] = []) {
    this.global = compileSettings(global, buildDetectionRule(global));
    this.overrides = overrides.map((override, index) => {
      const { expression: _expression, ...withoutExpression } = global;
      const effective = { ...(override.settings.preset !== undefined ? withoutExpression : global), ...override.settings };
      return { matchers: override.matchers, rule: compileSettings(effective, overrideRule(global, override.settings, index)) };
    });
  }

  ruleFor(seriesId: string, series: MatchableSeries): CompiledRule {
    let rule = this.chosen.get(seriesId);
    if (rule === undefined) {
      rule = this.overrides.find((o) => matchesAll(o.matchers, series))?.rule ?? this.global;
      if (this.chosen.size > 100_000) this.chosen.clear();
      this.chosen.set(seriesId, rule);
    }
    return rule;
  }

  get rules(): readonly CompiledRule[] {
    return [this.global, ...this.overrides.map((o) => o.rule)];
  }
}
