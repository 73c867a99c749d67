/**
 * The shipped detector presets: named parameter sets in the harness's parameter language
 * (durations as `30d`, guards as numbers or 'off'). The detector service builds its
 * `billing` and `extreme` rules from these; the evaluation lab (@costwatch/detection-lab)
 * parses and validates every one of them, and measures them.
 */
export type PresetParamValue = string | number | null;

export interface Preset {
  readonly description: string;
  readonly params: Readonly<Record<string, PresetParamValue>>;
}

/**
 * The named detectors of the harness. Each is a parameter set over the one streaming
 * `RuleDetector`; `name:key=value,…` on the command line overrides any parameter.
 */
export const DETECTOR_PRESETS = {
  seed: {
    description: 'seed rule: z > 3 OR ratio > 2 against the trailing 30 days, baseline as of the previous day',
    params: {},
  },
  robust: {
    description: 'robust z: |x − median| / (1.4826·MAD) > 8 over a rolling 7-day window',
    params: { rule: 'abs(robustZ) > 8', expected: 'median', window: '7d', refresh: 0 },
  },
  seasonal: {
    description: 'seasonal z > 10 against the slot median of the period (hour-of-week for hourly data), rolling',
    params: { rule: 'abs(seasonalZ) > 10', expected: 'seasonal', period: 'auto', refresh: 0 },
  },
  ewma: {
    description: 'EWMA z > 8 with a 6-hour half-life',
    params: { rule: 'abs(ewmaZ) > 8', expected: 'mean', halfLife: '6h', refresh: 0 },
  },
  hst: {
    description: 'half-space trees (25 trees, depth 10, 1-day mass window, 4-value shingle, seeded): score > 0.9',
    params: { rule: 'hst > 0.9', expected: 'median', refresh: 0 },
  },
  adwin: {
    description: 'ADWIN (δ = 0.002): alert when the series level changes',
    params: { rule: 'drift >= 1', expected: 'median', refresh: 0, drift: 0.002 },
  },
  extreme: {
    description: 'record detector: beyond the previous 7 days\' range by more than 1 robust σ, baseline as of the previous day',
    params: { rule: 'abs(extremeZ) > 1', expected: 'median', window: '7d', refresh: '1d' },
  },
  billing: {
    description:
      'hour-of-week seasonal z > 10 and ≥ 50% off, 30-day baseline as of the previous day, with first-seen, drop-to-zero and recurring-charge guards',
    params: {
      rule: 'abs(seasonalZ) > 10 AND relDelta >= 50%',
      expected: 'seasonal',
      period: 'auto',
      window: '30d',
      refresh: '1d',
      minHistory: '7d',
      firstSeen: 0,
      dropToZero: 0.01,
      recurring: 0.25,
      leadingZeros: 'skip',
    },
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof DETECTOR_PRESETS;

export const PRESET_NAMES = Object.keys(DETECTOR_PRESETS) as PresetName[];

/**
 * The preset the services judge with by default (services/detector's `DETECTION_PRESET`
 * default; a spec there checks the two agree). Evaluation output marks it `"default": true`.
 */
export const DEFAULT_PRESET: PresetName = 'billing';
