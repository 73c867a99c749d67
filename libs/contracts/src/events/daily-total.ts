import { z } from 'zod';
import { decimalAmountSchema } from '../money/decimal-amount';
import { envelopeSchema } from './envelope';

/** The total of one series for one closed day, published when the day closes. */
export const dailyTotalSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  domainId: z.string().min(1),
  projectId: z.string().min(1),
  serviceId: z.string().min(1),
  serviceName: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  amount: decimalAmountSchema,
  recordCount: z.number().int().nonnegative(),
});

export type DailyTotal = z.infer<typeof dailyTotalSchema>;
export const DAILY_TOTAL_EVENT = 'billing.daily-total';
export const dailyTotalEventSchema = envelopeSchema(DAILY_TOTAL_EVENT, dailyTotalSchema);
export type DailyTotalEvent = z.infer<typeof dailyTotalEventSchema>;
