import {
  DETECTOR_PRESETS,
  MS,
  SEED_RULE,
  compileRule,
  ewmaAlpha,
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
 * Scores that need per-series streaming state the service does not keep (half-space trees,
 * ADWIN drift): a rule naming one of them would never fire, so it is refused at startup.
 * `ewmaZ` is computed: its state is three numbers per series, kept in the series' state.
 */
export const STREAMING_SCORES: ReadonlySet<ScoreName> = new Set<ScoreName>(['hst', 'drift']);

/**
 * The EWMA a rule using `ewmaZ` is judged against: half-life 12 observations (hours on the
 * hourly path, days on the daily one), the evaluation CLI's default. Each observation is
 * learned once, in order, after it is judged; a restated one is judged, not learned again.
 */
export const EWMA_HALF_LIFE_OBSERVATIONS = 12;
export const EWMA_ALPHA = ewmaAlpha(EWMA_HALF_LIFE_OBSERVATIONS);

const ewmaRules = new WeakMap<CompiledRule, boolean>();

/** Whether the rule's expression tests `ewmaZ` (its series then keep an EWMA state). */
export function usesEwma(rule: CompiledRule): boolean {
  let uses = ewmaRules.get(rule);
  if (uses === undefined) {
    uses = scoresUsed(rule.expression).has('ewmaZ');
    ewmaRules.set(rule, uses);
  }
  return uses;
}

/** Throws, naming the score, when the expression uses one the service cannot compute. */
export function assertServiceScores(expression: string): void {
  const unsupported = [...scoresUsed(parseThresholdExpression(expression))].filter((score) => STREAMING_SCORES.has(score));
  if (unsupported.length > 0) {
    throw new Error(`score${unsupported.length > 1 ? 's' : ''} ${unsupported.map((s) => `"${s}"`).join(', ')} need per-series streaming state, which the detector service does not keep (usable in the evaluation CLI only); the service computes z, ratio, delta, absDelta, relDelta, robustZ, seasonalZ, extremeZ and ewmaZ`);
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
    minHistoryHours: parseDuration(billing.minHistory) / MS.hour,
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
 * Money amounts in a rule's settings (impact floors, severity levels, first-seen and
 * drop-to-zero minimums) are in a reference unit; a currency's factor scales them, so a
 * warning at 10 means about 10 USD of impact and about 14,000 KRW. Factors are orders of
 * magnitude for alerting, not exchange rates; `DETECTION_CURRENCY_UNITS` overrides or adds.
 */
export const DEFAULT_CURRENCY_UNITS: Readonly<Record<string, number>> = {
  USD: 1, EUR: 1, GBP: 1, CHF: 1, AUD: 1.5, CAD: 1.4, NZD: 1.7, SGD: 1.3,
  KRW: 1400, JPY: 150, CNY: 7, HKD: 8, TWD: 32, INR: 85, IDR: 16000, VND: 25000, THB: 35, PHP: 57, MYR: 4.5,
  BRL: 5.5, MXN: 18, ZAR: 18, TRY: 35, SEK: 10, NOK: 10, DKK: 7, PLN: 4, CZK: 23, HUF: 360, ILS: 3.7, AED: 3.7, SAR: 3.75,
};

function scaledSettings(settings: RuleSettings, factor: number): RuleSettings {
  if (factor === 1) return settings;
  const money = (value: number | null | undefined) => (value === null || value === undefined ? value : value * factor);
  return {
    ...settings,
    ...(settings.minAbsDelta !== undefined ? { minAbsDelta: settings.minAbsDelta * factor } : {}),
    ...(settings.firstSeenMin !== undefined ? { firstSeenMin: money(settings.firstSeenMin) } : {}),
    ...(settings.dropToZeroMin !== undefined ? { dropToZeroMin: money(settings.dropToZeroMin) } : {}),
    ...(settings.severity ? { severity: { warning: settings.severity.warning * factor, critical: settings.severity.critical * factor } } : {}),
  };
}

/**
 * Which compiled rule judges a series: the first override whose matchers all match, else
 * the global rule, with its money settings in the series' currency. Overrides inherit every
 * global setting they do not state. Rules are compiled once per currency; the choice per
 * series is cached.
 */
export class RuleBook {
  readonly global: CompiledRule;
  private readonly overrides: ReadonlyArray<{ matchers: readonly SeriesMatcher[]; rule: CompiledRule }>;
  /** Each rule's settings: index 0 the global rule, then the overrides. */
  private readonly settings: ReadonlyArray<{ settings: RuleSettings; build: (settings: RuleSettings) => DetectionRule }>;
  private readonly inCurrency = new Map<string, CompiledRule>();
  private readonly chosen = new Map<string, CompiledRule>();

  constructor(
    global: RuleSettings,
    overrides: readonly RuleOverride[] = [],
    private readonly currencyUnits: Readonly<Record<string, number>> = {},
  ) {
    this.global = compileSettings(global, buildDetectionRule(global));
    const { expression: _expression, ...withoutExpression } = global;
    const effective = (override: RuleOverride): RuleSettings => ({ ...(override.settings.preset !== undefined ? withoutExpression : global), ...override.settings });
    this.overrides = overrides.map((override, index) => ({ matchers: override.matchers, rule: compileSettings(effective(override), overrideRule(global, override.settings, index)) }));
    this.settings = [
      { settings: global, build: buildDetectionRule },
      ...overrides.map((override, index) => ({ settings: effective(override), build: (s: RuleSettings) => buildDetectionRule({ ...s, name: s.name ?? `override-${index + 1}` }) })),
    ];
  }

  ruleFor(seriesId: string, series: MatchableSeries): CompiledRule {
    let rule = this.chosen.get(seriesId);
    if (rule === undefined) {
      const index = this.overrides.findIndex((o) => matchesAll(o.matchers, series));
      rule = this.forCurrency(index + 1, index >= 0 ? (this.overrides[index]?.rule ?? this.global) : this.global, series.currency);
      if (this.chosen.size > 100_000) this.chosen.clear();
      this.chosen.set(seriesId, rule);
    }
    return rule;
  }

  /** The rule at `index` with its money settings scaled to `currency` (the rule itself when the factor is 1). */
  private forCurrency(index: number, rule: CompiledRule, currency: string): CompiledRule {
    const factor = this.currencyUnits[currency] ?? 1;
    if (factor === 1) return rule;
    const key = `${index}|${currency}`;
    let scaled = this.inCurrency.get(key);
    if (scaled === undefined) {
      const entry = this.settings[index];
      if (!entry) return rule;
      const settings = scaledSettings(entry.settings, factor);
      scaled = compileSettings(settings, entry.build(settings));
      this.inCurrency.set(key, scaled);
    }
    return scaled;
  }

  get rules(): readonly CompiledRule[] {
    return [this.global, ...this.overrides.map((o) => o.rule)];
  }
}
