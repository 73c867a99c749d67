import { z } from 'zod';
import { decimalAmountSchema } from '../money/decimal-amount';
import { envelopeSchema } from './envelope';

/** The settled cost of one series for one hour, published by the aggregator. */
export const hourlySnapshotSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  hour: z.number().int().min(0).max(23),
  domainId: z.string().min(1),
  projectId: z.string().min(1),
  serviceId: z.string().min(1),
  serviceName: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  amount: decimalAmountSchema,
  recordCount: z.number().int().nonnegative(),
  /** Increases on every restatement of this hour, so consumers can ignore stale copies. */
  revision: z.number().int().nonnegative(),
  /**
   * The series' cost over the 24 hours ending with this one (this hour and the 23 before it,
   * hourly records, as known when this hour was published): what the rolling 24-hour
   * judgement tests, so ramps no single hour shows are caught before the day closes.
   */
  trailing24h: decimalAmountSchema.optional(),
});

export type HourlySnapshot = z.infer<typeof hourlySnapshotSchema>;
export const HOURLY_SNAPSHOT_EVENT = 'billing.hourly-snapshot';
export const hourlySnapshotEventSchema = envelopeSchema(HOURLY_SNAPSHOT_EVENT, hourlySnapshotSchema);
export type HourlySnapshotEvent = z.infer<typeof hourlySnapshotEventSchema>;
