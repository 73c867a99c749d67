/** A child series (service, sub-dimension) of an anomalous parent, at the anomalous step. */
export interface ChildObservation {
  readonly key: string;
  readonly observed: number;
  readonly expected: number;
}

export interface Contributor {
  readonly key: string;
  readonly observed: number;
  readonly expected: number;
  /** observed − expected. */
  readonly delta: number;
  /**
   * delta / total delta: the fraction of the parent's move this child explains. Shares sum to 1
   * over all children; a child moving against the parent has a negative share. NaN when the
   * children's deltas cancel out exactly (total 0).
   */
  readonly share: number;
}

export interface ContributorRanking {
  /** Σ children's deltas (the parent's move, if the parent is the sum of its children). */
  readonly totalDelta: number;
  readonly top: readonly Contributor[];
  /** Σ share of `top` (how much of the move the listed children explain). */
  readonly explainedShare: number;
}

/**
 * Which children explain a parent's anomaly: each child's delta as a share of the total delta,
 * sign-aware, ranked by share (children pushing the same way as the parent first, offsetting
 * ones last), top-k returned. When the deltas cancel to zero, shares are NaN and children are
 * ranked by |delta|. Ties keep input order, so the output is deterministic.
 */
export function rankContributors(children: readonly ChildObservation[], topK = 3): ContributorRanking {
  let totalDelta = 0;
  for (const child of children) totalDelta += child.observed - child.expected;
  const contributors = children.map((child, index) => {
    const delta = child.observed - child.expected;
    return { index, key: child.key, observed: child.observed, expected: child.expected, delta, share: totalDelta === 0 ? Number.NaN : delta / totalDelta };
  });
  contributors.sort((a, b) => {
    const byShare = totalDelta === 0 ? Math.abs(b.delta) - Math.abs(a.delta) : b.share - a.share;
    return byShare !== 0 ? byShare : a.index - b.index;
  });
  const top = contributors.slice(0, Math.max(0, topK)).map(({ key, observed, expected, delta, share }) => ({ key, observed, expected, delta, share }));
  const explainedShare = totalDelta === 0 ? Number.NaN : top.reduce((sum, c) => sum + c.share, 0);
  return { totalDelta, top, explainedShare };
}
