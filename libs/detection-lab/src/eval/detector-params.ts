import { parseThresholdExpression, parseDuration } from '@costwatch/detection';
import { z } from 'zod';

const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    return z.NEVER;
  }
});

/** 'off' (or null) disables a guard; otherwise its number. */
const optionalNumber = z
  .union([z.literal('off'), z.null(), z.coerce.number()])
  .transform((value) => (value === 'off' ? null : value));

const expression = z.string().superRefine((text, ctx) => {
  try {
    parseThresholdExpression(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

/**
 * Everything a harness detector can be tuned with. Durations accept `5m`, `6h`, `30d`, `1w`
 * and become sample counts through each series' own step, so one setting serves hourly
 * billing and 5-minute metrics.
 */
export const detectorParamsSchema = z
  .object({
    /** Threshold expression over the named scores. */
    rule: expression,
    expected: z.enum(['mean', 'median', 'seasonal']),
    /** Baseline history window. */
    window: duration,
    /** Baseline rebuild cadence; 0 = before every point. */
    refresh: duration,
    /** Cold start: no alert until the baseline holds this much history. */
    minHistory: duration,
    /** Alerts merge while anomalous points are at most this far apart. */
    cooldown: duration,
    /** Seasonal period: `auto` (1w for steps ≥ 30m, else 1d), a duration, or `off`. */
    period: z.union([z.literal('auto'), z.literal('off'), duration]),
    /** Seasonal slot width; 0 = the series' step. */
    slot: duration,
    /** ADWIN δ for drift re-baselining; 0 = off. */
    drift: z.coerce.number().min(0).max(1),
    /** EWMA half-life (for `ewmaZ`). */
    halfLife: duration,
    hstTrees: z.coerce.number().int().min(1),
    hstDepth: z.coerce.number().int().min(1).max(20),
    /** Half-space-trees mass window. */
    hstWindow: duration,
    hstShingle: z.coerce.number().int().min(1),
    seed: z.coerce.number().int(),
    /** Relative scale floor (fraction of |centre|). */
    floor: z.coerce.number().min(0),
    /** Absolute scale floor (series units). */
    floorAbs: z.coerce.number().min(0),
    /** Drop-to-zero guard: minimum expected value, or off. */
    dropToZero: optionalNumber,
    /** First-seen guard: minimum observed value, or off. */
    firstSeen: optionalNumber,
    /** Recurring-charge tolerance (fraction), or off. */
    recurring: optionalNumber,
    /** `skip`: a series' history starts at its first non-zero value (new services). */
    leadingZeros: z.enum(['keep', 'skip']),
    /** `on`: a zero hour of a series whose baseline holds zero hours is normal (intermittent series). */
    zeroInflated: z.enum(['on', 'off']),
  })
  .strict();

export type DetectorParams = z.output<typeof detectorParamsSchema>;
export type DetectorParamsInput = z.input<typeof detectorParamsSchema>;

export const DEFAULT_PARAMS: DetectorParamsInput = {
  rule: 'z > 3 OR ratio > 2',
  expected: 'mean',
  window: '30d',
  refresh: '1d',
  minHistory: '1d',
  cooldown: '6h',
  period: 'off',
  slot: 0,
  drift: 0,
  halfLife: '1h',
  hstTrees: 25,
  hstDepth: 10,
  hstWindow: '1d',
  hstShingle: 4,
  seed: 42,
  floor: 0,
  floorAbs: 0,
  dropToZero: 'off',
  firstSeen: 'off',
  recurring: 'off',
  leadingZeros: 'keep',
  zeroInflated: 'off',
};

export class DetectorSpecError extends Error {
  override name = 'DetectorSpecError';
}

/** Validates a parameter set, naming the offending parameters. */
export function parseDetectorParams(input: Record<string, unknown>, label: string): DetectorParams {
  const result = detectorParamsSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
      return key ? `${key}: ${issue.message}` : issue.message;
    });
    throw new DetectorSpecError(`invalid parameters for detector "${label}": ${problems.join('; ')}`);
  }
  return result.data;
}

/**
 * Splits a command-line detector spec, `name` or `name:key=value,key=value`, into the preset
 * name and its overrides. Values may contain `=` and spaces (expressions): only the first `=`
 * of each comma-separated pair separates.
 */
export function splitDetectorSpec(spec: string): { name: string; overrides: Record<string, string> } {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const overrides: Record<string, string> = {};
  if (colon >= 0) {
    for (const pair of spec.slice(colon + 1).split(',')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      if (eq < 0) throw new DetectorSpecError(`"${pair}" in detector "${spec}" is not key=value`);
      overrides[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  if (name === '') throw new DetectorSpecError(`detector spec "${spec}" has no name`);
  return { name, overrides };
}
