import {
  DETECTOR_PRESETS,
  SEED_RULE,
  compileRule,
  parseDuration,
  parseThresholdExpression,
  type CompiledRule,
  type DetectionRule,
  type ExpectedValue,
  type SeverityLevels,
  type ThresholdExpression,
} from '@costwatch/detection';
import { matchesAll, type MatchableSeries, type SeriesMatcher } from './series-matcher';

const HOUR_MS = 3_600_000;

export const DETECTION_PRESET_NAMES = ['seed', 'billing'] as const;
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

interface PresetRule {
  expression: string;
  expected: ExpectedValue;
  minHistoryHours: number;
  firstSeenMin: number | null;
  dropToZeroMin: number | null;
  recurringTolerance: number | null;
}

const billing = DETECTOR_PRESETS.billing.params;

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
};

/** Throws an error naming the problem (the caller names the setting). */
export function buildDetectionRule(settings: RuleSettings): DetectionRule {
  const presetName = settings.preset ?? 'seed';
  const preset = PRESET_RULES[presetName];
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
    this.global = compileRule(buildDetectionRule(global));
    this.overrides = overrides.map((override, index) => ({ matchers: override.matchers, rule: compileRule(overrideRule(global, override.settings, index)) }));
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
