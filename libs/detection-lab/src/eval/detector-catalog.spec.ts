import { PRESET_NAMES, MS } from '@costwatch/detection';
import { resolveDetector, seasonalLayoutFor } from './detector-catalog';
import { DetectorSpecError, splitDetectorSpec } from './detector-params';

describe('detector specs', () => {
  it('split into a preset name and key=value overrides (values may hold spaces and "=")', () => {
    expect(splitDetectorSpec('seed')).toEqual({ name: 'seed', overrides: {} });
    expect(splitDetectorSpec('robust:window=3d, rule=abs(robustZ) >= 7')).toEqual({
      name: 'robust',
      overrides: { window: '3d', rule: 'abs(robustZ) >= 7' },
    });
    expect(() => splitDetectorSpec('robust:window')).toThrow(DetectorSpecError);
  });

  it('resolve every preset with validated, typed parameters', () => {
    for (const name of PRESET_NAMES) expect(resolveDetector(name).params.rule.length).toBeGreaterThan(0);
    const seed = resolveDetector('seed');
    expect(seed.params).toMatchObject({ rule: 'z > 3 OR ratio > 2', window: 30 * MS.day, refresh: MS.day, cooldown: 6 * MS.hour });
    const tuned = resolveDetector('billing:recurring=off,minHistory=3d');
    expect(tuned.params.recurring).toBeNull();
    expect(tuned.params.minHistory).toBe(3 * MS.day);
  });

  it('reject unknown presets, unknown parameters and bad values, naming them', () => {
    expect(() => resolveDetector('magic')).toThrow(/unknown detector "magic"/);
    expect(() => resolveDetector('seed:colour=red')).toThrow(/colour/);
    expect(() => resolveDetector('seed:drift=2')).toThrow(/drift/);
    expect(() => resolveDetector('seed:rule=z >')).toThrow(/rule: expected a number/);
  });

  it('derive the seasonal layout from the series step', () => {
    const auto = resolveDetector('seasonal').params;
    expect(seasonalLayoutFor(auto, MS.hour)).toMatchObject({ periodMs: MS.week, slotMs: MS.hour });
    expect(seasonalLayoutFor(auto, 5 * MS.minute)).toMatchObject({ periodMs: MS.day, slotMs: 5 * MS.minute });
    expect(seasonalLayoutFor(resolveDetector('seasonal:period=1d,slot=1h').params, 5 * MS.minute)).toMatchObject({ periodMs: MS.day, slotMs: MS.hour });
    expect(seasonalLayoutFor(resolveDetector('seed').params, MS.hour)).toBeNull();
  });

  it('build independent detectors per series', () => {
    const factory = resolveDetector('extreme').create;
    const a = factory({ stepMs: MS.hour });
    const b = factory({ stepMs: MS.hour });
    for (let h = 0; h < 200; h++) a.update(h * MS.hour, 10 + (h % 3));
    expect(a.update(200 * MS.hour, 100)).toBe(true);
    expect(b.update(0, 100)).toBe(false);
  });
});
