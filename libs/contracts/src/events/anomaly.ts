import { z } from 'zod';
import { decimalAmountSchema } from '../money/decimal-amount';
import { envelopeSchema } from './envelope';

export const anomalyStates = ['firing', 'resolved'] as const;
export const severities = ['info', 'warning', 'critical'] as const;
/** What was judged: one hour, or one closed day's total. */
/** `rolling-24h`: the 24 hours ending with an hour, judged against daily totals before the day closes. */
export const anomalyGranularities = ['hourly', 'daily', 'rolling-24h'] as const;
/** `cost`: a series costs more or less than expected; `collection-gap`: a whole domain sent nothing for a day. */
export const anomalyKinds = ['cost', 'collection-gap'] as const;

export const contributorSchema = z.object({
  dimension: z.string().min(1),
  value: z.string().min(1),
  observed: decimalAmountSchema,
  expected: decimalAmountSchema,
  share: z.number(),
});

/**
 * An anomaly on one series. `anomalyId` is deterministic (series + rule + window start),
 * so replaying the same snapshots yields the same id and never a second document.
 */
export const anomalySchema = z.object({
  anomalyId: z.string().min(1),
  state: z.enum(anomalyStates),
  series: z.object({
    domainId: z.string().min(1),
    projectId: z.string().min(1),
    serviceId: z.string().min(1),
    serviceName: z.string().min(1),
    currency: z.string().regex(/^[A-Z]{3}$/),
  }),
  window: z.object({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) }),
  observed: decimalAmountSchema,
  expected: decimalAmountSchema,
  z: z.number().nullable(),
  ratio: z.number().nullable(),
  rule: z.string().min(1),
  severity: z.enum(severities),
  baselineWindow: z.object({ from: z.string(), to: z.string(), count: z.number().int().nonnegative() }),
  contributors: z.array(contributorSchema).default([]),
  granularity: z.enum(anomalyGranularities).default('hourly'),
  kind: z.enum(anomalyKinds).default('cost'),
});

export type Anomaly = z.infer<typeof anomalySchema>;
export const ANOMALY_EVENT = 'billing.anomaly';
export const anomalyEventSchema = envelopeSchema(ANOMALY_EVENT, anomalySchema);
export type AnomalyEvent = z.infer<typeof anomalyEventSchema>;
