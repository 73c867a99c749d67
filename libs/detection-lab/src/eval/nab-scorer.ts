import type { WindowIndexRange } from './labelled-series';

/** NAB application profile weights (A_TP, A_FP, A_FN as positive magnitudes). */
export interface NabProfile {
  readonly tpWeight: number;
  readonly fpWeight: number;
  readonly fnWeight: number;
}

export const NAB_PROFILES = {
  standard: { tpWeight: 1, fpWeight: 0.11, fnWeight: 1 },
  lowFP: { tpWeight: 1, fpWeight: 0.22, fnWeight: 1 },
  lowFN: { tpWeight: 1, fpWeight: 0.11, fnWeight: 2 },
} as const satisfies Record<string, NabProfile>;

export type NabProfileName = keyof typeof NAB_PROFILES;

export const NAB_PROBATION_PERCENT = 0.15;

/** NAB's scaled sigmoid: 2·σ(−5y) − 1, and −1 from y ≥ 3 (far past a window). */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition >= 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

/** Rows at the start of a file that are never scored: min(⌊15% · rows⌋, 15% · 5000). */
export function probationLength(rows: number, probationPercent = NAB_PROBATION_PERCENT): number {
  return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
}

export interface NabFileScore {
  /** Raw (unnormalised) score of the detections. */
  readonly score: number;
  /** Score of the null detector (no detections): −A_FN per window with a scored row. */
  readonly nullScore: number;
  /** Windows in the labels for this file (the perfect detector's A_TP count). */
  readonly windows: number;
}

/**
 * Scores one file exactly as NAB v1.1's sweeper does for a binary detector:
 * - a row inside a window at index i scores σ(−(right − i + 1)/width) · A_TP / σ(−1): 1 for a
 *   detection on the window's first row, ~0 on its last; a window keeps only its best (earliest)
 *   detection and scores −A_FN when it has none;
 * - a detection outside windows scores A_FP · σ(|i − prevRight| / (prevWidth − 1)), which is
 *   −A_FP before any window or ≥ 3 window-widths after one, and milder just after one;
 * - rows in the probationary period are ignored, as are windows entirely inside it.
 */
export function scoreNabFile(
  rows: number,
  detections: ArrayLike<number>,
  windows: readonly WindowIndexRange[],
  profile: NabProfile,
  probationPercent = NAB_PROBATION_PERCENT,
): NabFileScore {
  const probation = probationLength(rows, probationPercent);
  const maxTp = scaledSigmoid(-1);
  const windowScores = windows.map(() => Number.NaN); // NaN: no scorable row (not counted)
  let fpScore = 0;
  let w = 0;
  let prevRight = -1;
  let prevWidth = 0;
  for (let i = 0; i < rows; i++) {
    while (w < windows.length && (windows[w] as WindowIndexRange).end < i) {
      prevRight = (windows[w] as WindowIndexRange).end;
      prevWidth = (windows[w] as WindowIndexRange).end - (windows[w] as WindowIndexRange).start + 1;
      w++;
    }
    const window = windows[w];
    const inWindow = window !== undefined && window.start <= i;
    if (i < probation) continue;
    if (inWindow && Number.isNaN(windowScores[w] as number)) windowScores[w] = -profile.fnWeight;
    if ((detections[i] as number) === 0) continue;
    if (inWindow) {
      const width = window.end - window.start + 1;
      const tp = (scaledSigmoid(-(window.end - i + 1) / width) * profile.tpWeight) / maxTp;
      if (tp > (windowScores[w] as number)) windowScores[w] = tp;
    } else {
      const position = prevRight < 0 ? 3 : Math.abs(prevRight - i) / (prevWidth - 1);
      fpScore += scaledSigmoid(position) * profile.fpWeight;
    }
  }
  let score = fpScore;
  let nullScore = 0;
  for (const s of windowScores) {
    if (Number.isNaN(s)) continue;
    score += s;
    nullScore -= profile.fnWeight;
  }
  return { score, nullScore, windows: windows.length };
}

/**
 * NAB's normalisation over a corpus: 100 · (S − S_null) / (S_perfect − S_null), where
 * S_perfect = A_TP × (number of labelled windows) and S_null is the null detector's score.
 */
export function normaliseNabScore(files: readonly NabFileScore[], profile: NabProfile): number {
  let score = 0;
  let nullScore = 0;
  let windows = 0;
  for (const file of files) {
    score += file.score;
    nullScore += file.nullScore;
    windows += file.windows;
  }
  const perfect = windows * profile.tpWeight;
  if (perfect === nullScore) return Number.NaN;
  return (100 * (score - nullScore)) / (perfect - nullScore);
}
