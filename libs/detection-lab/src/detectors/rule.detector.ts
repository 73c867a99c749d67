import { RollingBaseline, compileRule, scoresUsed, judgeObservation, toJudgement, isAlerting, createEwmaState, ewmaAlpha, ewmaUpdate, ewmaZ, createScoreVector, SCORE_INDEX, type BaselineStats, type CompiledRule, type DetectionRule, type Judgement, type Verdict, type EwmaState, type SeasonalLayout } from '@costwatch/detection';
import { AdwinDriftDetector, type AdwinOptions } from '../drift/adwin.drift-detector';
import { HalfSpaceTreesScorer, type HalfSpaceTreesScorerOptions } from '../scoring/half-space-trees.scorer';
import type { SeriesDetector } from './series-detector';

export interface RuleDetectorOptions {
  readonly rule: DetectionRule | CompiledRule;
  /** Trailing history window of the baseline. */
  readonly windowMs: number;
  readonly seasonal: SeasonalLayout | null;
  /**
   * How often the baseline is rebuilt. 0 = before every point (a continuously rolling
   * baseline). One day with `refreshOriginMs` 0 = at each UTC midnight, which is exactly what
   * the detector service does with baselines "as of the previous day": replay ≡ live.
   */
  readonly refreshMs: number;
  readonly refreshOriginMs?: number;
  /** EWMA half-life in samples, when the expression uses `ewmaZ` (default 12). */
  readonly ewmaHalfLifeSamples?: number;
  /** Half-space-trees settings, when the expression uses `hst`. */
  readonly halfSpaceTrees?: HalfSpaceTreesScorerOptions;
  /** Rebuild the baseline from the post-change window when ADWIN detects a level change. */
  readonly drift?: AdwinOptions | null;
  /** History starts at the first non-zero value (see `BaselineOptions.skipLeadingZeros`). */
  readonly skipLeadingZeros?: boolean;
}

const I = SCORE_INDEX;

/**
 * The streaming form of a detection rule: a rolling baseline judged with exactly the stateless
 * `judgeObservation` the service uses, plus the stateful scorers (EWMA, half-space trees) the
 * expression refers to, plus optional ADWIN re-baselining. Every harness preset (seed,
 * robust, seasonal, EWMA, half-space trees, ADWIN, extreme, billing) is this class with a
 * different rule and options.
 */
export class RuleDetector implements SeriesDetector {
  private readonly rule: CompiledRule;
  private readonly baseline: RollingBaseline;
  private readonly scores = createScoreVector();
  private readonly ewma: EwmaState | null;
  private readonly alpha: number;
  private readonly hst: HalfSpaceTreesScorer | null;
  private readonly drift: AdwinDriftDetector | null;
  private readonly refreshMs: number;
  private readonly refreshOriginMs: number;
  private snapshot: BaselineStats | null = null;
  private refreshPeriod = Number.NaN;
  private rebuildNow = false;
  private lastTimestamp = Number.NaN;
  private lastVerdict: Verdict | null = null;

  constructor(options: RuleDetectorOptions) {
    this.rule = 'predicate' in options.rule ? options.rule : compileRule(options.rule);
    const uses = scoresUsed(this.rule.expression);
    this.baseline = new RollingBaseline({
      windowMs: options.windowMs,
      seasonal: options.seasonal,
      keepPreviousMonth: this.rule.recurringTolerance >= 0,
      skipLeadingZeros: options.skipLeadingZeros ?? false,
      // A snapshot before every point needs order statistics kept up to date; a daily one is
      // cheaper rebuilt from the window (and then identical to computeBaseline).
      incremental: options.refreshMs <= 0,
    });
    this.ewma = uses.has('ewmaZ') ? createEwmaState() : null;
    this.alpha = ewmaAlpha(options.ewmaHalfLifeSamples ?? 12);
    if (uses.has('hst') && options.halfSpaceTrees === undefined) {
      throw new RangeError(`rule "${this.rule.name}" uses hst but no halfSpaceTrees options were given`);
    }
    this.hst = uses.has('hst') && options.halfSpaceTrees ? new HalfSpaceTreesScorer(options.halfSpaceTrees) : null;
    this.drift = options.drift ? new AdwinDriftDetector(options.drift) : null;
    this.refreshMs = options.refreshMs;
    this.refreshOriginMs = options.refreshOriginMs ?? 0;
  }

  update(timestampMs: number, value: number): boolean {
    if (!Number.isFinite(value)) {
      this.lastVerdict = null;
      return false;
    }
    const scores = this.scores;
    // ADWIN sees the point first: a change detected *at* this point is not look-ahead, and the
    // rebuilt baseline (without this point) judges it.
    let drifted = false;
    if (this.drift !== null && this.drift.update(value)) {
      drifted = true;
      this.baseline.keepLatest(Math.max(0, this.drift.width - 1));
      this.rebuildNow = true;
    }
    scores[I.drift] = this.drift === null ? Number.NaN : drifted ? 1 : 0;
    const snapshot = this.baselineFor(timestampMs);
    scores[I.ewmaZ] = this.ewma === null ? Number.NaN : ewmaZ(this.ewma, value);
    scores[I.hst] = this.hst === null ? Number.NaN : this.hst.score(value);
    const verdict = judgeObservation(timestampMs, value, snapshot, this.rule, scores, this.baseline);
    this.lastVerdict = verdict;
    this.lastTimestamp = timestampMs;

    this.baseline.add(timestampMs, value);
    if (this.ewma !== null) ewmaUpdate(this.ewma, value, this.alpha);
    if (this.hst !== null) this.hst.learn(value);
    return isAlerting(verdict);
  }

  explainLast(): Judgement | null {
    if (this.lastVerdict === null || this.snapshot === null) return null;
    return toJudgement(this.lastTimestamp, this.lastVerdict, this.scores, this.snapshot, this.rule);
  }

  private baselineFor(timestampMs: number): BaselineStats {
    if (this.refreshMs <= 0 || this.rebuildNow) {
      this.rebuildNow = false;
      this.snapshot = this.baseline.snapshot(timestampMs);
      return this.snapshot;
    }
    const period = Math.floor((timestampMs - this.refreshOriginMs) / this.refreshMs);
    if (this.snapshot === null || period !== this.refreshPeriod) {
      this.refreshPeriod = period;
      this.snapshot = this.baseline.snapshot(this.refreshOriginMs + period * this.refreshMs);
    }
    return this.snapshot;
  }
}
