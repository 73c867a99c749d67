import { DEFAULT_PRESET, PRESET_NAMES, type PresetName } from '@costwatch/detection';
import { resolveDetector } from '../detector-catalog';
import { evaluateDetector, type DetectorReport } from '../evaluation';
import type { LabelledSeries } from '../labelled-series';
import { NAB_PROBATION_PERCENT } from '../nab-scorer';
import { alertsPerThousandSeriesDays, scoredDays } from './false-alert-rate';
import { groupOf, splitByGroup, type ProtocolHalf } from './nab-split';
import { syntheticCorpus, type SyntheticCorpus, type SyntheticShape } from './synthetic-split';
import { candidateSpec, TUNING_GRID } from './tuning-grid';

/** The figures of one detector on one part of the data. */
export interface PartFigures {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly nabStandard: number;
  readonly alerts: number;
  readonly windows: number;
  readonly windowsFound: number;
}

export interface FalseAlertFigures {
  readonly alerts: number;
  readonly seriesDays: number;
  readonly perThousandSeriesDays: number;
  /** The same for the intermittent usage series only. */
  readonly intermittentPerThousandSeriesDays: number;
}

/** One detector (as shipped, or as tuned) on both halves. */
export interface VariantResult {
  readonly spec: string;
  readonly tune: PartFigures;
  readonly report: PartFigures;
}

export interface NabVariantResult extends VariantResult {
  /** On the held-out files of each reported group alone. */
  readonly reportByGroup: Readonly<Record<string, PartFigures>>;
}

export interface NabResult {
  readonly shipped: NabVariantResult;
  readonly tuned: NabVariantResult;
}

export interface SyntheticResult {
  readonly shipped: VariantResult & { readonly falseAlerts: Readonly<Record<ProtocolHalf, FalseAlertFigures>> };
  readonly tuned: VariantResult & { readonly falseAlerts: Readonly<Record<ProtocolHalf, FalseAlertFigures>> };
}

export interface PresetProtocolResult {
  readonly preset: PresetName;
  /** The preset the services use by default. */
  readonly default: boolean;
  readonly nab?: NabResult;
  readonly synthetic: SyntheticResult;
}

export interface ProtocolInput {
  /** The NAB corpus, or undefined to run the synthetic part only. */
  readonly nab?: readonly LabelledSeries[];
  readonly presets?: readonly PresetName[];
  /** NAB groups also reported on their own (held-out files only). */
  readonly nabGroups?: readonly string[];
  /** Size of the synthetic datasets (smaller for tests). */
  readonly syntheticShape?: SyntheticShape;
  readonly onProgress?: (message: string) => void;
}

/** Replays each (corpus, detector) once: the tuning search and the final figures share results. */
class Replays {
  private readonly cache = new Map<string, DetectorReport>();

  of(corpusId: string, corpus: readonly LabelledSeries[], spec: string): DetectorReport {
    const key = `${corpusId}\u0000${spec}`;
    let report = this.cache.get(key);
    if (report === undefined) {
      report = evaluateDetector(corpus, resolveDetector(spec));
      this.cache.set(key, report);
    }
    return report;
  }
}

export const REPORTED_NAB_GROUPS = ['realAWSCloudwatch', 'realKnownCause'] as const;

/**
 * The honest protocol: for each preset, every candidate of its tuning grid is replayed on the
 * tuning part only and the best is kept (NAB standard score on NAB's tuning half; event F1 on
 * the synthetic tuning seeds and ranges). The shipped and the tuned detector are then scored
 * on both parts: the tuning part is in-sample for the tuned one, the reporting part is
 * out-of-sample for both, since nothing was chosen on it.
 */
export function runProtocol(input: ProtocolInput): PresetProtocolResult[] {
  const presets = input.presets ?? PRESET_NAMES;
  const log = input.onProgress ?? (() => undefined);
  const nabSplit = input.nab === undefined ? undefined : splitByGroup(input.nab);
  log('generating the synthetic tuning and reporting corpora');
  const synthetic: Record<ProtocolHalf, SyntheticCorpus> = { tune: syntheticCorpus('tune', input.syntheticShape), report: syntheticCorpus('report', input.syntheticShape) };
  return presets.map((preset) => {
    log(`${preset}: tuning and reporting`);
    const replays = new Replays();
    const nab = nabSplit === undefined ? undefined : nabProtocol(preset, nabSplit, input.nabGroups ?? REPORTED_NAB_GROUPS, replays);
    return { preset, default: preset === DEFAULT_PRESET, ...(nab ? { nab } : {}), synthetic: syntheticProtocol(preset, synthetic, replays) };
  });
}

function nabProtocol(preset: PresetName, split: { tune: LabelledSeries[]; report: LabelledSeries[] }, groups: readonly string[], replays: Replays): NabResult {
  const chosen = best(preset, (spec) => replays.of('nab-tune', split.tune, spec).nabStandard);
  const variant = (spec: string): NabVariantResult => {
    const reportByGroup: Record<string, PartFigures> = {};
    for (const group of groups) {
      const files = split.report.filter((s) => groupOf(s.name) === group);
      if (files.length > 0) reportByGroup[group] = figures(replays.of(`nab-report-${group}`, files, spec));
    }
    return { spec, tune: figures(replays.of('nab-tune', split.tune, spec)), report: figures(replays.of('nab-report', split.report, spec)), reportByGroup };
  };
  return { shipped: variant(preset), tuned: variant(chosen) };
}

function syntheticProtocol(preset: PresetName, corpus: Record<ProtocolHalf, SyntheticCorpus>, replays: Replays): SyntheticResult {
  const chosen = best(preset, (spec) => replays.of('synthetic-tune', corpus.tune.labelled, spec).f1);
  const variant = (spec: string) => ({
    spec,
    tune: figures(replays.of('synthetic-tune', corpus.tune.labelled, spec)),
    report: figures(replays.of('synthetic-report', corpus.report.labelled, spec)),
    falseAlerts: { tune: falseAlerts(spec, corpus.tune), report: falseAlerts(spec, corpus.report) },
  });
  return { shipped: variant(preset), tuned: variant(chosen) };
}

/** The grid candidate with the highest objective (the first on ties, so the shipped preset wins a tie). */
function best(preset: PresetName, objective: (spec: string) => number): string {
  let chosen = preset as string;
  let top = Number.NEGATIVE_INFINITY;
  for (const overrides of TUNING_GRID[preset]) {
    const spec = candidateSpec(preset, overrides);
    const value = objective(spec);
    if (value > top) {
      top = value;
      chosen = spec;
    }
  }
  return chosen;
}

function falseAlerts(spec: string, corpus: SyntheticCorpus): FalseAlertFigures {
  const report = evaluateDetector(corpus.quiet, resolveDetector(spec));
  const days = (series: readonly LabelledSeries[]) => series.reduce((sum, s) => sum + scoredDays(s, NAB_PROBATION_PERCENT), 0);
  const intermittent = corpus.quiet.filter((s) => corpus.kindOf.get(s.name) === 'intermittent');
  const intermittentNames = new Set(intermittent.map((s) => s.name));
  const intermittentAlerts = report.perSeries.filter((s) => intermittentNames.has(s.series)).reduce((sum, s) => sum + s.alerts, 0);
  const seriesDays = days(corpus.quiet);
  return {
    alerts: report.alerts,
    seriesDays,
    perThousandSeriesDays: alertsPerThousandSeriesDays(report.alerts, seriesDays),
    intermittentPerThousandSeriesDays: alertsPerThousandSeriesDays(intermittentAlerts, days(intermittent)),
  };
}

function figures(report: DetectorReport): PartFigures {
  return {
    precision: report.precision,
    recall: report.recall,
    f1: report.f1,
    nabStandard: report.nabStandard,
    alerts: report.alerts,
    windows: report.windows,
    windowsFound: report.windowsFound,
  };
}
