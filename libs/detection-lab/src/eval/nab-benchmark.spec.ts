import { resolveDetector } from './detector-catalog';
import { evaluateDetector, type DetectorReport } from './evaluation';
import type { LabelledSeries } from './labelled-series';
import { loadNabCorpus } from './nab-corpus.loader';
import { locateNabCorpus } from './nab-location';

/** A missing corpus fails the test rather than skipping it — a skipped benchmark proves nothing. */
function nabDirectory(): string {
  const { found, candidates } = locateNabCorpus();
  if (found === undefined) throw new Error(`NAB corpus not found (set NAB_DATASET); looked in ${candidates.join(', ')}`);
  return found;
}

describe('NAB benchmark (bundled corpus, deterministic)', () => {
  let corpus: LabelledSeries[];
  let extreme: DetectorReport;
  let seed: DetectorReport;

  beforeAll(() => {
    corpus = loadNabCorpus(nabDirectory());
    extreme = evaluateDetector(corpus, resolveDetector('extreme'));
    seed = evaluateDetector(corpus, resolveDetector('seed'));
  });

  it('reads all 58 files and 116 windows', () => {
    expect(corpus).toHaveLength(58);
    expect(corpus.reduce((sum, s) => sum + s.windows.length, 0)).toBe(116);
  });

  it('the best detector ("extreme") scores NAB standard ≥ 50 and beats the seed rule', () => {
    expect(extreme.nabStandard).toBeGreaterThanOrEqual(50);
    expect(extreme.nabStandard).toBeGreaterThan(seed.nabStandard);
  });

  it('the best detector raises no alert on the five artificialNoAnomaly series', () => {
    const quiet = extreme.perSeries.filter((s) => s.series.startsWith('artificialNoAnomaly/'));
    expect(quiet).toHaveLength(5);
    for (const series of quiet) expect({ series: series.series, alerts: series.alertTimesMs.length }).toEqual({ series: series.series, alerts: 0 });
  });
});
