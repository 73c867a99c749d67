import { z } from 'zod';
import { commonSettings, groupIdSetting, jsonSetting, kafkaSettings, mongoSettings, parseConfig, settingsFileFor, withDefaultGroupIds, type WithGroupIds } from '@costwatch/config';
import { parseThresholdExpression } from '@costwatch/detection';
import { DEFAULT_CURRENCY_UNITS, DETECTION_PRESET_NAMES, assertServiceScores, overrideRule, type RuleOverride, type RuleSettings } from '../domain/detection-rules';
import { parseSeriesMatcher } from '../domain/series-matcher';

const problem = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A number, or "20%" for 0.2. */
const fraction = z.string().transform((text, ctx) => {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `must be a non-negative number or a percentage such as "20%" (got "${text}")` });
    return z.NEVER;
  }
  return Number(match[1]) / (match[2] === '%' ? 100 : 1);
});

/** A non-negative number, or "off" (null) to switch a guard off. */
const numberOrOff = z.string().transform((text, ctx) => {
  if (text.trim().toLowerCase() === 'off') return null;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    ctx.addIssue({ code: 'custom', message: `must be a non-negative number or "off" (got "${text}")` });
    return z.NEVER;
  }
  return value;
});

const expression = z.string().transform((text, ctx) => {
  try {
    parseThresholdExpression(text);
    assertServiceScores(text);
    return text;
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: problem(error) });
    return z.NEVER;
  }
});

const overrideEntry = z
  .object({
    match: z.array(z.string()).min(1, 'an override needs at least one matcher'),
    name: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be a short name (letters, digits, "_", ".", ":", "-")').optional(),
    preset: z.enum(DETECTION_PRESET_NAMES).optional(),
    rule: z.string().optional(),
    minAbsDelta: z.number().nonnegative().optional(),
    minRelDelta: z.number().nonnegative().optional(),
    minHistoryHours: z.number().int().nonnegative().optional(),
    firstSeenMin: z.union([z.number().nonnegative(), z.literal('off')]).optional(),
    dropToZeroMin: z.union([z.number().nonnegative(), z.literal('off')]).optional(),
    recurringTolerance: z.union([z.number().nonnegative(), z.literal('off')]).optional(),
  })
  .strict();

const offToNull = <T>(value: T | 'off' | undefined): T | null | undefined => (value === 'off' ? null : value);

/**
 * `DETECTION_OVERRIDES`: a JSON array, first match wins, e.g.
 * `[{"match":["project=sandbox"],"minAbsDelta":50},{"match":["service=~\"gpu-.*\""],"rule":"z > 5"}]`.
 * Every rule is compiled here, so a bad expression or matcher stops startup naming the setting.
 */
const overridesSetting = jsonSetting('a JSON array of overrides', '[]')
  .pipe(z.array(overrideEntry))
  .transform((entries, ctx): RuleOverride[] =>
    entries.flatMap((entry, index) => {
      try {
        const settings: RuleSettings = {
          ...(entry.name !== undefined ? { name: entry.name } : {}),
          ...(entry.preset !== undefined ? { preset: entry.preset } : {}),
          ...(entry.rule !== undefined ? { expression: entry.rule } : {}),
          ...(entry.minAbsDelta !== undefined ? { minAbsDelta: entry.minAbsDelta } : {}),
          ...(entry.minRelDelta !== undefined ? { minRelDelta: entry.minRelDelta } : {}),
          ...(entry.minHistoryHours !== undefined ? { minHistoryHours: entry.minHistoryHours } : {}),
          ...(entry.firstSeenMin !== undefined ? { firstSeenMin: offToNull(entry.firstSeenMin) } : {}),
          ...(entry.dropToZeroMin !== undefined ? { dropToZeroMin: offToNull(entry.dropToZeroMin) } : {}),
          ...(entry.recurringTolerance !== undefined ? { recurringTolerance: offToNull(entry.recurringTolerance) } : {}),
        };
        const override: RuleOverride = { matchers: entry.match.map(parseSeriesMatcher), settings };
        overrideRule({}, settings, index); // compiles the expression: fail now, not on the first snapshot
        return [override];
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: problem(error), path: [index] });
        return [];
      }
    }),
  );

export const detectorConfigSchema = z
  .object({
    ...commonSettings,
    ...kafkaSettings,
    ...mongoSettings,
    HTTP_PORT: commonSettings.HTTP_PORT.default(8083),
    KAFKA_CLIENT_ID: kafkaSettings.KAFKA_CLIENT_ID.default('costwatch-detector'),
    /** Default `<KAFKA_TOPIC_PREFIX>costwatch-detector`. */
    DETECTOR_GROUP_ID: groupIdSetting,
    /** Snapshots judged per database round trip. */
    CONSUMER_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1_000),

    /** The rule family: `billing` (hour-of-week, with guards; the best measured), `seed` (z > 3 OR ratio > 2 against the 30-day mean) or `extreme` (beyond the last 7 days' range). */
    DETECTION_PRESET: z.enum(DETECTION_PRESET_NAMES).default('billing'),
    /** A threshold expression replacing the preset's, e.g. `(z > 3 OR ratio > 2) AND absDelta >= 10`. */
    DETECTION_RULE: expression.optional(),
    /** The rule's name in alerts; defaults to the preset's, or `custom` with DETECTION_RULE. */
    DETECTION_RULE_NAME: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be a short name (letters, digits, "_", ".", ":", "-")').optional(),
    DETECTION_OVERRIDES: overridesSetting,
    /** $ impact floor per hour: anomalies need |observed − expected| ≥ this (0 = off). */
    DETECTION_MIN_ABS_DELTA: z.coerce.number().nonnegative().default(0),
    /** Relative impact floor: anomalies need |observed − expected| / expected ≥ this ("20%" or 0.2; 0 = off). */
    DETECTION_MIN_REL_DELTA: fraction.default(0),
    /** Cold start: baseline hours needed before the expression may fire (default: the preset's, 24 for seed, 168 for billing). */
    DETECTION_MIN_HISTORY_HOURS: z.coerce.number().int().nonnegative().optional(),
    /** A series without cost history that now costs at least this is a first-seen anomaly; "off" disables. */
    DETECTION_FIRST_SEEN_MIN: numberOrOff.optional(),
    /** A series expected to cost at least this that drops to zero is a drop-to-zero anomaly; "off" disables. */
    DETECTION_DROP_TO_ZERO_MIN: numberOrOff.optional(),
    /** Same cost as one month earlier within this fraction = a recurring charge, not an anomaly; "off" disables. */
    DETECTION_RECURRING_TOLERANCE: numberOrOff.optional(),
    /**
     * Scale of the money settings (floors, severity levels) per currency, as a JSON object
     * merged over the built-in table, e.g. `{"KRW": 1300, "XCG": 1.8}`: units of the currency
     * per reference unit. A currency not listed uses 1.
     */
    DETECTION_CURRENCY_UNITS: jsonSetting('a JSON object such as {"KRW": 1300}', '{}')
      .pipe(z.record(z.string().regex(/^[A-Z]{3}$/, 'keys must be ISO 4217 codes such as "KRW"'), z.number().positive().finite()))
      .transform((units) => ({ ...DEFAULT_CURRENCY_UNITS, ...units })),
    /** Impact per hour (in the reference unit, scaled per currency) from which an anomaly is warning / critical. */
    DETECTION_SEVERITY_WARNING: z.coerce.number().nonnegative().default(10),
    DETECTION_SEVERITY_CRITICAL: z.coerce.number().nonnegative().default(100),
    /** Consecutive normal hours that resolve an anomaly. */
    DETECTION_RESOLVE_AFTER_HOURS: z.coerce.number().int().min(1).max(168).default(2),
    /** A firing anomaly is announced again when its worst hour grows by this fraction ("50%" or 0.5). */
    DETECTION_UPDATE_GROWTH: fraction.default(0.5),
    /** Restatements of hours older than this many days behind a series' latest judged hour are ignored. */
    DETECTION_RESTATEMENT_HORIZON_DAYS: z.coerce.number().int().min(1).max(60).default(7),
    /** Judge every series' daily total when its day closes (daily-only sources are judged only here). */
    DETECTION_DAILY: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /**
     * Judge, at every hour, the 24 hours ending with it against the daily totals' baseline
     * (the daily rule), so a ramp no single hour shows fires before its day closes.
     */
    DETECTION_ROLLING: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** Days of history before a daily total may fire. */
    DETECTION_DAILY_MIN_HISTORY_DAYS: z.coerce.number().int().min(1).max(60).default(7),
    /** An always-on series expected to cost at least this per day that costs nothing that day is a drop ("off" disables). */
    DETECTION_DAILY_DROP_MIN: numberOrOff.default(1),
    /** Relative impact floor of a daily anomaly ("10%" or 0.1; 0 = off). */
    DETECTION_DAILY_MIN_REL_DELTA: fraction.default(0.1),
    /** Consecutive normal days that resolve a daily anomaly. */
    DETECTION_DAILY_RESOLVE_AFTER_DAYS: z.coerce.number().int().min(1).max(31).default(1),
    /** How often snapshots waiting for their baseline (the previous day not closed yet) are looked at again. */
    DETECTION_PENDING_RECHECK_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  })
  .refine((c) => c.DETECTION_SEVERITY_CRITICAL >= c.DETECTION_SEVERITY_WARNING, {
    message: 'must be at least DETECTION_SEVERITY_WARNING',
    path: ['DETECTION_SEVERITY_CRITICAL'],
  });

export type DetectorConfig = WithGroupIds<z.output<typeof detectorConfigSchema>, 'DETECTOR_GROUP_ID'>;

/** `COSTWATCH_CONFIG` names the settings file, if any (its `common` and `detector` sections). */
export const loadDetectorConfig = (env: NodeJS.ProcessEnv = process.env): DetectorConfig =>
  withDefaultGroupIds(parseConfig(detectorConfigSchema, env, settingsFileFor({ section: 'detector', sectionKeys: Object.keys(detectorConfigSchema.shape), env })), {
    DETECTOR_GROUP_ID: 'costwatch-detector',
  });

/** The global rule settings the config describes. */
export function globalRuleSettings(config: DetectorConfig): RuleSettings {
  return {
    preset: config.DETECTION_PRESET,
    ...(config.DETECTION_RULE !== undefined ? { expression: config.DETECTION_RULE } : {}),
    ...(config.DETECTION_RULE_NAME !== undefined ? { name: config.DETECTION_RULE_NAME } : {}),
    minAbsDelta: config.DETECTION_MIN_ABS_DELTA,
    minRelDelta: config.DETECTION_MIN_REL_DELTA,
    ...(config.DETECTION_MIN_HISTORY_HOURS !== undefined ? { minHistoryHours: config.DETECTION_MIN_HISTORY_HOURS } : {}),
    ...(config.DETECTION_FIRST_SEEN_MIN !== undefined ? { firstSeenMin: config.DETECTION_FIRST_SEEN_MIN } : {}),
    ...(config.DETECTION_DROP_TO_ZERO_MIN !== undefined ? { dropToZeroMin: config.DETECTION_DROP_TO_ZERO_MIN } : {}),
    ...(config.DETECTION_RECURRING_TOLERANCE !== undefined ? { recurringTolerance: config.DETECTION_RECURRING_TOLERANCE } : {}),
    severity: { warning: config.DETECTION_SEVERITY_WARNING, critical: config.DETECTION_SEVERITY_CRITICAL },
  };
}
