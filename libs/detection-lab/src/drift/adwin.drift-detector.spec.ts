import { SeededRandom } from '@costwatch/detection';
import { AdwinDriftDetector } from './adwin.drift-detector';

describe('AdwinDriftDetector', () => {
  it('stays quiet on stationary noise and its window keeps growing', () => {
    const random = new SeededRandom(1);
    const adwin = new AdwinDriftDetector();
    let drifts = 0;
    for (let i = 0; i < 5_000; i++) if (adwin.update(10 + random.normal(0, 1))) drifts++;
    expect(drifts).toBe(0);
    expect(adwin.width).toBe(5_000);
    expect(adwin.estimation).toBeCloseTo(10, 1);
  });

  it('detects a level change soon after it happens and keeps only the new level', () => {
    const random = new SeededRandom(2);
    const adwin = new AdwinDriftDetector({ delta: 0.002 });
    let firstDrift = -1;
    for (let i = 0; i < 2_000; i++) {
      const changed = adwin.update((i < 1_000 ? 10 : 13) + random.normal(0, 1));
      if (changed && firstDrift < 0) firstDrift = i;
    }
    expect(firstDrift).toBeGreaterThanOrEqual(1_000);
    expect(firstDrift).toBeLessThan(1_100);
    // Bucket granularity may keep a few pre-change points; the 1 000 old ones are gone.
    expect(adwin.width).toBeLessThan(1_050);
    expect(adwin.estimation).toBeCloseTo(13, 0);
  });

  it('only checks for a cut every `clock` points, after the grace period', () => {
    const adwin = new AdwinDriftDetector({ clock: 1_000, gracePeriod: 10 });
    const changes: number[] = [];
    for (let i = 0; i < 1_500; i++) if (adwin.update(i < 500 ? 0 : 100)) changes.push(i);
    expect(changes).toEqual([999]);
  });
});
