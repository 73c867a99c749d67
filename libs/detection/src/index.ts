/**
 * @costwatch/detection — the detection kernel the services run, pure (no I/O): statistics,
 * time constants, baselines, scores, threshold expressions, rules with guards, severity, the
 * shipped presets, root cause, and the synthetic billing generator (which
 * @costwatch/synthetic renders as billing records for the collector and the demo).
 *
 * The evaluation lab — harness, tuning protocol, NAB corpus, streaming detectors, half-space
 * trees, ADWIN — is @costwatch/detection-lab, which services may not import (lint enforces it).
 */

// Statistics
export { mean, sampleStd, median, medianAbsoluteDeviation, meanAbsoluteDeviation, MAD_TO_SIGMA, MEAN_AD_TO_SIGMA } from './statistics/descriptive-statistics';
export { SortedWindow } from './statistics/sorted-window';

export { SeededRandom } from './random/seeded-random';

// Time
export { MS, parseDuration, formatDuration } from './time/duration';
export { inferSamplingStep, samplesIn } from './time/sampling-step';
export { DAY_OF_WEEK, HOUR_OF_WEEK, MONDAY_ORIGIN_MS, seasonalSlot, slotCount, type SeasonalLayout } from './time/seasonal-slot';
export { oneMonthEarlier } from './time/calendar-month';

// Baselines
export type { BaselineStats, SeasonalProfile, PreviousMonthValues } from './baseline/baseline-stats';
export { computeBaseline, previousMonthValueAt, DEFAULT_BASELINE_WINDOW_MS, type BaselineOptions } from './baseline/compute-baseline';
export { RollingBaseline, type RollingBaselineOptions } from './baseline/rolling-baseline';

// Scores and threshold expressions
export { SCORE_NAMES, SCORE_INDEX, createScoreVector, isScoreName, type ScoreName, type ScoreVector } from './scoring/score-vector';
export { scoreObservation, robustSigma, standardise, NO_SCALE_FLOOR, type ExpectedValue, type ScaleFloor } from './scoring/score-observation';
export { createEwmaState, ewmaAlpha, ewmaUpdate, ewmaZ, type EwmaState } from './scoring/ewma-scorer';
export {
  formatExpression,
  type ThresholdExpression,
  type ScoreComparison,
  type ComparisonOperator,
  type AllOf,
  type AnyOf,
  type NotOf,
} from './expression/threshold-expression';
export { parseThresholdExpression, ExpressionSyntaxError } from './expression/threshold-expression.parser';
export { compileExpression, explainExpression, type ScorePredicate } from './expression/threshold-expression.evaluator';
export { scoresUsed } from './expression/scores-used';

// Rules and judgements (the stateless API the detector service calls)
export { compileRule, SEED_RULE, type DetectionRule, type CompiledRule } from './rules/detection-rule';
export { evaluate, judgeObservation, toJudgement, type Observation, type PreviousMonthSource } from './rules/evaluate';
export { isAlerting, type Judgement, type Verdict } from './rules/judgement';
export { severityFromImpact, DEFAULT_SEVERITY_LEVELS, type Severity, type SeverityLevels } from './rules/severity';

// Root cause
export { rankContributors, type ChildObservation, type Contributor, type ContributorRanking } from './root-cause/rank-contributors';

// The shipped presets (the detector builds its rules from them; the lab measures them)
export { DETECTOR_PRESETS, PRESET_NAMES, DEFAULT_PRESET, type Preset, type PresetName, type PresetParamValue } from './presets/detector-presets';

// Synthetic billing ground truth (the one generator; @costwatch/synthetic renders it as billing records)
export { generateSyntheticBilling, type SyntheticBillingOptions } from './synthetic/synthetic-billing.generator';
export { PARAMETER_RANGES, positionInPart, valueAt, partOf, type ParameterRange, type ParameterRanges, type ParameterName, type RangePart } from './synthetic/parameter-ranges';
export {
  ANOMALY_KINDS,
  type ChargeLine,
  type InjectedAnomaly,
  type InjectedAnomalyKind,
  type Seasonality,
  type SeriesArchetype,
  type SyntheticBillingDataset,
  type SyntheticSeries,
} from './synthetic/synthetic-billing.types';
