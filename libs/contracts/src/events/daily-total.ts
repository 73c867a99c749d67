import { z } from 'zod';
import { decimalAmountSchema } from '../money/decimal-amount';
import { envelopeSchema } from './envelope';

/**
 * The total of one series for one closed day, published when the day closes and again when
 * a closed day is restated. A series seen in the recent history with no record that day gets
 * a total of 0 with `recordCount` 0: missing data is data (a vanished service is judged).
 */
export const dailyTotalSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  domainId: z.string().min(1),
  projectId: z.string().min(1),
  serviceId: z.string().min(1),
  serviceName: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  amount: decimalAmountSchema,
  recordCount: z.number().int().nonnegative(),
  /**
   * Orders the versions of one series-day: the newest `collectedAt` among its records, in ms
   * (0 for a day without records). A consumer ignores a total whose revision is not newer
   * than the one it judged, so a replay of the topic changes nothing.
   */
  revision: z.number().int().nonnegative().default(0),
  /**
   * The day's hourly costs (UTC hours; null where no HOURLY record) when the series has
   * hourly data, so a daily judgement can tell a day whose excess its hours already showed.
   */
  hours: z.array(decimalAmountSchema.nullable()).length(24).optional(),
  /**
   * A roll-up's members: a project total (`serviceId` "*") lists its services, a domain total
   * (`projectId` and `serviceId` "*") its projects; each with its own total that day (0 when
   * absent), so a judgement can name what drove the change.
   */
  children: z
    .array(z.object({ projectId: z.string().min(1), serviceId: z.string().min(1), serviceName: z.string().min(1), amount: decimalAmountSchema }))
    .max(10_000)
    .optional(),
});

export type DailyTotal = z.infer<typeof dailyTotalSchema>;
export const DAILY_TOTAL_EVENT = 'billing.daily-total';
export const dailyTotalEventSchema = envelopeSchema(DAILY_TOTAL_EVENT, dailyTotalSchema);
export type DailyTotalEvent = z.infer<typeof dailyTotalEventSchema>;

/**
 * Day D is closed: every series' total for D is published and the baselines as of D+1 are
 * written. `silentDomains` lists domains with recent history and no record at all for D (a
 * collection failed, an export is late): their series get no zero totals, the domain gets one
 * collection-gap judgement instead.
 */
export const dayClosedSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  seriesCount: z.number().int().nonnegative(),
  /** The event-time watermark that closed the day (ISO instant). */
  watermark: z.iso.datetime({ offset: true }),
  silentDomains: z.array(z.object({ domainId: z.string().min(1), series: z.number().int().nonnegative() })).default([]),
});

export type DayClosed = z.infer<typeof dayClosedSchema>;
export const DAY_CLOSED_EVENT = 'billing.day-closed';
export const dayClosedEventSchema = envelopeSchema(DAY_CLOSED_EVENT, dayClosedSchema);
export type DayClosedEvent = z.infer<typeof dayClosedEventSchema>;
