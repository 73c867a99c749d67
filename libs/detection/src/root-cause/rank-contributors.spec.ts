import { rankContributors } from './rank-contributors';

describe('rankContributors', () => {
  it('ranks children by their share of the parent’s delta', () => {
    // Deltas: compute +60, storage +30, network +10, support 0 → total +100.
    const ranking = rankContributors(
      [
        { key: 'storage', observed: 130, expected: 100 },
        { key: 'support', observed: 5, expected: 5 },
        { key: 'compute', observed: 260, expected: 200 },
        { key: 'network', observed: 20, expected: 10 },
      ],
      2,
    );
    expect(ranking.totalDelta).toBe(100);
    expect(ranking.top).toEqual([
      { key: 'compute', observed: 260, expected: 200, delta: 60, share: 0.6 },
      { key: 'storage', observed: 130, expected: 100, delta: 30, share: 0.3 },
    ]);
    expect(ranking.explainedShare).toBeCloseTo(0.9, 12);
  });

  it('is sign-aware: a child moving against the parent has a negative share and ranks last', () => {
    // +150 and −50 → total +100: shares 1.5 and −0.5.
    const ranking = rankContributors([
      { key: 'credits', observed: 50, expected: 100 },
      { key: 'gpu', observed: 250, expected: 100 },
    ]);
    expect(ranking.top.map((c) => [c.key, c.share])).toEqual([
      ['gpu', 1.5],
      ['credits', -0.5],
    ]);
  });

  it('explains a drop by the children that dropped', () => {
    // Total −80: database −70 (share 0.875), cache −20 (0.25), web +10 (−0.125).
    const ranking = rankContributors([
      { key: 'web', observed: 30, expected: 20 },
      { key: 'database', observed: 0, expected: 70 },
      { key: 'cache', observed: 10, expected: 30 },
    ]);
    expect(ranking.totalDelta).toBe(-80);
    expect(ranking.top.map((c) => [c.key, c.share])).toEqual([
      ['database', 0.875],
      ['cache', 0.25],
      ['web', -0.125],
    ]);
    expect(ranking.explainedShare).toBeCloseTo(1, 12);
  });

  it('ranks by |delta| with NaN shares when the deltas cancel out', () => {
    const ranking = rankContributors([
      { key: 'a', observed: 12, expected: 10 },
      { key: 'b', observed: 5, expected: 10 },
      { key: 'c', observed: 13, expected: 10 },
    ]);
    expect(ranking.totalDelta).toBe(0);
    expect(ranking.top.map((c) => c.key)).toEqual(['b', 'c', 'a']);
    expect(ranking.top.every((c) => Number.isNaN(c.share))).toBe(true);
  });

  it('keeps input order for ties and handles no children', () => {
    const ranking = rankContributors([
      { key: 'x', observed: 2, expected: 1 },
      { key: 'y', observed: 2, expected: 1 },
    ]);
    expect(ranking.top.map((c) => c.key)).toEqual(['x', 'y']);
    expect(rankContributors([])).toEqual({ totalDelta: 0, top: [], explainedShare: Number.NaN });
  });
});
