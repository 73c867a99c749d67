import { z } from 'zod';

/**
 * What a billing record must satisfy beyond its structure, where the deployment decides
 * (docs/ingest.md, "Validation"). The collector applies them before publishing and the
 * baseline service when it consumes, so both should be given the same values.
 */
export const recordSettings = {
  /** A period may start at most this many days before its record was collected: backfills of up to 10 years by default. */
  RECORD_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(36_600).default(3_660),
  /** A period may start at most this many hours after collection, and a collection time lie this far ahead of the service's clock. */
  RECORD_MAX_LEAD_HOURS: z.coerce.number().min(0).max(8_760).default(24),
  /** Currency codes accepted besides the ISO 4217 list, comma-separated (e.g. a code newer than the list). */
  RECORD_EXTRA_CURRENCIES: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(z.string().regex(/^[A-Z]{3}$/, 'must be three upper-case letters, e.g. "XCG"'))),
};

export interface RecordSettings {
  RECORD_MAX_AGE_DAYS: number;
  RECORD_MAX_LEAD_HOURS: number;
  RECORD_EXTRA_CURRENCIES: readonly string[];
}

/** The settings as the record policy of @costwatch/contracts (billingRecordSchemaFor). */
export function recordPolicyOf(config: RecordSettings): { extraCurrencies: readonly string[]; maxAgeDays: number; maxLeadHours: number } {
  return { extraCurrencies: config.RECORD_EXTRA_CURRENCIES, maxAgeDays: config.RECORD_MAX_AGE_DAYS, maxLeadHours: config.RECORD_MAX_LEAD_HOURS };
}
