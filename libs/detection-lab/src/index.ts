/**
 * @costwatch/detection-lab — the evaluation lab that people run and services never do
 * (lint forbids `type:service` projects from importing it): the streaming `RuleDetector`
 * with its experimental scorers (half-space trees, ADWIN drift), the evaluation harness and
 * its NAB scoring, the tuning protocol, and the synthetic ground truth as labelled series.
 * The evaluation CLI (eval/cli.ts) and the NAB-layout reader/writer do file I/O and are
 * deliberately not exported here. The kernel it builds on is @costwatch/detection.
 */

// Streaming detectors, experimental scorers and drift
export type { SeriesDetector, SeriesDetectorFactory, SeriesContext } from './detectors/series-detector';
export { RuleDetector, type RuleDetectorOptions } from './detectors/rule.detector';
export { HalfSpaceTrees, type HalfSpaceTreesOptions } from './scoring/half-space-trees.model';
export { HalfSpaceTreesScorer, type HalfSpaceTreesScorerOptions } from './scoring/half-space-trees.scorer';
export { AdwinDriftDetector, type AdwinOptions } from './drift/adwin.drift-detector';

// Evaluation (pure parts)
export type { AnomalyWindow, LabelledSeries, WindowIndexRange } from './eval/labelled-series';
export { windowIndexRanges } from './eval/labelled-series';
export { scoreNabFile, normaliseNabScore, scaledSigmoid, probationLength, NAB_PROFILES, type NabProfile, type NabFileScore } from './eval/nab-scorer';
export { alertOnsets } from './eval/alert-episodes';
export { countEvents, eventMetrics, type EventCounts, type EventMetrics } from './eval/event-metrics';
export { evaluateDetectors, evaluateDetector, type DetectorReport, type SeriesResult } from './eval/evaluation';
export { resolveDetector, type DetectorDefinition } from './eval/detector-catalog';

// Synthetic ground truth as labelled series (the generator itself is in the kernel)
export { toLabelledSeries, SYNTHETIC_GROUP } from './synthetic/synthetic-billing.labels';
