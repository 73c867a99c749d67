/**
 * @costwatch/detection — pure detection logic (no I/O): baselines, scores, threshold
 * expressions, rules with guards, streaming detectors, drift detection, root cause, NAB
 * scoring and the synthetic billing ground truth. The evaluation CLI (eval/cli.ts) and the
 * NAB-layout reader/writer do file I/O and are deliberately not exported here.
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
export { HalfSpaceTrees, type HalfSpaceTreesOptions } from './scoring/half-space-trees.model';
export { HalfSpaceTreesScorer, type HalfSpaceTreesScorerOptions } from './scoring/half-space-trees.scorer';
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

// Rules and judgements (the stateless API the detector service calls)
export { compileRule, SEED_RULE, type DetectionRule, type CompiledRule } from './rules/detection-rule';
export { evaluate, judgeObservation, toJudgement, type Observation, type PreviousMonthSource } from './rules/evaluate';
export { isAlerting, type Judgement, type Verdict } from './rules/judgement';
export { severityFromImpact, DEFAULT_SEVERITY_LEVELS, type Severity, type SeverityLevels } from './rules/severity';

// Streaming detectors and drift
export type { SeriesDetector, SeriesDetectorFactory, SeriesContext } from './detectors/series-detector';
export { RuleDetector, scoresUsed, type RuleDetectorOptions } from './detectors/rule.detector';
export { AdwinDriftDetector, type AdwinOptions } from './drift/adwin.drift-detector';

// Root cause
export { rankContributors, type ChildObservation, type Contributor, type ContributorRanking } from './root-cause/rank-contributors';

// Evaluation (pure parts)
export type { AnomalyWindow, LabelledSeries, WindowIndexRange } from './eval/labelled-series';
export { windowIndexRanges } from './eval/labelled-series';
export { scoreNabFile, normaliseNabScore, scaledSigmoid, probationLength, NAB_PROFILES, type NabProfile, type NabFileScore } from './eval/nab-scorer';
export { alertOnsets } from './eval/alert-episodes';
export { countEvents, eventMetrics, type EventCounts, type EventMetrics } from './eval/event-metrics';
export { evaluateDetectors, evaluateDetector, type DetectorReport, type SeriesResult } from './eval/evaluation';
export { DETECTOR_PRESETS, PRESET_NAMES, DEFAULT_PRESET, resolveDetector, type DetectorDefinition, type PresetName } from './eval/detector-catalog';

// Synthetic billing ground truth (the one generator; @costwatch/synthetic renders it as billing records)
export { generateSyntheticBilling, type SyntheticBillingOptions } from './synthetic/synthetic-billing.generator';
export { toLabelledSeries, SYNTHETIC_GROUP } from './synthetic/synthetic-billing.labels';
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
