import { NAB_PROFILES, normaliseNabScore, probationLength, scaledSigmoid, scoreNabFile } from './nab-scorer';

/** NAB's scaled sigmoid written out independently: 2 / (1 + e^(5y)) − 1. */
const sigma = (y: number): number => 2 / (1 + Math.exp(5 * y)) - 1;
const standard = NAB_PROFILES.standard;

function detectionsAt(rows: number, ...indices: number[]): Uint8Array {
  const detections = new Uint8Array(rows);
  for (const i of indices) detections[i] = 1;
  return detections;
}

// 100 rows → probation ⌊15⌋ = 15 rows; one window on rows 40..49 (width 10).
const ROWS = 100;
const WINDOW = [{ start: 40, end: 49 }];

describe('NAB scaled sigmoid', () => {
  it('matches NAB’s documented values', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.98661, 5);
    expect(scaledSigmoid(3)).toBe(-1);
    expect(scaledSigmoid(10)).toBe(-1);
  });
});

describe('probationLength', () => {
  it('is 15% of the rows, capped at 15% of 5000', () => {
    expect(probationLength(100)).toBe(15);
    expect(probationLength(4032)).toBe(604); // ⌊604.8⌋
    expect(probationLength(22695)).toBe(750);
  });
});

describe('scoreNabFile (standard profile: A_TP 1, A_FP 0.11, A_FN 1)', () => {
  it('a detection on the first row of the window earns exactly A_TP = 1', () => {
    // position −(49 − 40 + 1)/10 = −1 → σ(−1)/σ(−1) = 1
    const score = scoreNabFile(ROWS, detectionsAt(ROWS, 40), WINDOW, standard);
    expect(score).toEqual({ score: 1, nullScore: -1, windows: 1 });
  });

  it('a detection on the last row earns σ(−0.1)/σ(−1)', () => {
    const score = scoreNabFile(ROWS, detectionsAt(ROWS, 49), WINDOW, standard);
    expect(score.score).toBeCloseTo(sigma(-0.1) / sigma(-1), 12);
  });

  it('keeps only the best (earliest) detection of a window', () => {
    const score = scoreNabFile(ROWS, detectionsAt(ROWS, 45, 42, 48), WINDOW, standard);
    // row 42: position −(49 − 42 + 1)/10 = −0.8
    expect(score.score).toBeCloseTo(sigma(-0.8) / sigma(-1), 12);
  });

  it('a missed window costs A_FN', () => {
    expect(scoreNabFile(ROWS, detectionsAt(ROWS), WINDOW, standard).score).toBe(-1);
  });

  it('a false positive before any window costs A_FP; one inside the probation costs nothing', () => {
    const score = scoreNabFile(ROWS, detectionsAt(ROWS, 10, 20, 40), WINDOW, standard);
    expect(score.score).toBeCloseTo(1 - 0.11, 12);
  });

  it('a false positive after a window is weighted by its distance: σ(|49 − i| / (10 − 1))', () => {
    const near = scoreNabFile(ROWS, detectionsAt(ROWS, 40, 52), WINDOW, standard);
    expect(near.score).toBeCloseTo(1 + 0.11 * sigma(3 / 9), 12);
    const far = scoreNabFile(ROWS, detectionsAt(ROWS, 40, 80), WINDOW, standard);
    expect(far.score).toBeCloseTo(1 - 0.11, 12); // 31 / 9 ≥ 3 → −1
  });

  it('a window wholly inside the probationary period is not scored at all', () => {
    const score = scoreNabFile(ROWS, detectionsAt(ROWS, 5, 60), [{ start: 2, end: 8 }], standard);
    // Row 60 is a false positive 52 rows after that window: (60 − 8)/(7 − 1) ≥ 3 → −A_FP.
    expect(score).toEqual({ score: -0.11, nullScore: 0, windows: 1 });
  });

  it('a window straddling the end of the probation counts, scored from its first scorable row', () => {
    const score = scoreNabFile(ROWS, detectionsAt(ROWS, 12, 16), [{ start: 10, end: 19 }], standard);
    // Row 12 is in probation; row 16 scores at position −(19 − 16 + 1)/10 = −0.4.
    expect(score.score).toBeCloseTo(sigma(-0.4) / sigma(-1), 12);
    expect(score.nullScore).toBe(-1);
  });

  it('uses the profile weights', () => {
    expect(scoreNabFile(ROWS, detectionsAt(ROWS, 20), WINDOW, NAB_PROFILES.lowFP).score).toBeCloseTo(-0.22 - 1, 12);
    expect(scoreNabFile(ROWS, detectionsAt(ROWS), WINDOW, NAB_PROFILES.lowFN).score).toBe(-2);
  });
});

describe('normaliseNabScore', () => {
  it('maps the null detector to 0 and a perfect one to 100', () => {
    expect(normaliseNabScore([{ score: -2, nullScore: -2, windows: 2 }], standard)).toBe(0);
    expect(normaliseNabScore([{ score: 2, nullScore: -2, windows: 2 }], standard)).toBe(100);
  });

  it('sums raw, null and perfect scores over files before normalising', () => {
    // Raw 0.5 + (−0.11) = 0.39; null −1 + −2 = −3; perfect 3 windows × 1 = 3.
    const files = [
      { score: 0.5, nullScore: -1, windows: 1 },
      { score: -0.11, nullScore: -2, windows: 2 },
    ];
    expect(normaliseNabScore(files, standard)).toBeCloseTo((100 * (0.39 + 3)) / (3 + 3), 12);
  });

  it('is negative when false positives outweigh everything', () => {
    expect(normaliseNabScore([{ score: -3, nullScore: -1, windows: 1 }], standard)).toBe(-100);
  });
});
