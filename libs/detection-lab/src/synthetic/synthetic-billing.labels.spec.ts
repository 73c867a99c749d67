import { generateSyntheticBilling } from '@costwatch/detection';
import { toLabelledSeries } from './synthetic-billing.labels';

describe('toLabelledSeries', () => {
  it('judges each series by what was reported when it was first judged (late hours missing, low days as first reported)', () => {
    const dataset = generateSyntheticBilling({ seed: 7, days: 30 });
    expect(toLabelledSeries(dataset)[0]?.values).toBe(dataset.series[0]?.firstReported);
  });
});
