import { assessFlapping, recentChanges, recordChange, type FlapPolicy } from './flap-detector';

const policy: FlapPolicy = { windowMs: 60_000, threshold: 4 };

describe('flap detector', () => {
  it('forgets changes older than the window and keeps at most `threshold`', () => {
    expect(recentChanges([1_000, 50_000, 70_000], 100_000, policy)).toEqual([50_000, 70_000]);
    expect(recordChange([1, 2, 3, 4, 5], 6, policy)).toEqual([3, 4, 5, 6]);
    expect(recordChange([1_000], 200_000, policy)).toEqual([200_000]);
  });

  it('starts flapping at the threshold within the window', () => {
    expect(assessFlapping(false, [10, 20, 30], 40, policy)).toBe('stable');
    expect(assessFlapping(false, [10, 20, 30, 40], 40, policy)).toBe('started');
  });

  it('spread-out changes are not flapping', () => {
    const changes = [0, 30_000, 60_001, 90_002];
    expect(assessFlapping(false, changes, 90_002, policy)).toBe('stable');
  });

  it('stays flapping while any change is in the window, ends after a whole quiet window', () => {
    expect(assessFlapping(true, [10, 20, 30, 40], 40, policy)).toBe('flapping');
    expect(assessFlapping(true, [10, 20, 30, 40], 40 + 59_999, policy)).toBe('flapping');
    expect(assessFlapping(true, [10, 20, 30, 40], 40 + 60_000, policy)).toBe('ended');
  });
});
