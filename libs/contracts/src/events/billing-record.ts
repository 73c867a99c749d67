import { z } from 'zod';
import { decimalAmountSchema } from '../money/decimal-amount';
import { envelopeSchema } from './envelope';

export const billingSources = ['synthetic', 'kakaocloud', 'aws-cost-explorer', 'focus', 'prometheus'] as const;
export const granularities = ['HOURLY', 'DAILY'] as const;

/** Identifier segments must not contain the `|` separator used to build deterministic ids. */
const segment = z
  .string()
  .min(1)
  .max(256)
  .refine((value) => !value.includes('|'), 'must not contain "|"');

/**
 * One cost line: what one service of one project of one domain (account) cost over one
 * period, as reported by a source. `id` is deterministic (see billingRecordId): the same
 * period collected twice has the same id, and a restatement (newer `collectedAt`) replaces it.
 */
export const billingRecordSchema = z
  .object({
    id: z.string().min(1),
    source: z.enum(billingSources),
    domainId: segment,
    projectId: segment,
    serviceId: segment,
    serviceName: z.string().min(1).max(256),
    granularity: z.enum(granularities),
    periodStart: z.iso.datetime({ offset: true }),
    periodEnd: z.iso.datetime({ offset: true }),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "USD"'),
    amount: decimalAmountSchema,
    collectedAt: z.iso.datetime({ offset: true }),
    chargeCategory: z.enum(['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment']).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .refine((r) => Date.parse(r.periodEnd) > Date.parse(r.periodStart), {
    message: 'periodEnd must be after periodStart',
    path: ['periodEnd'],
  });

export type BillingRecord = z.infer<typeof billingRecordSchema>;

export const BILLING_RECORD_EVENT = 'billing.record';
export const billingRecordEventSchema = envelopeSchema(BILLING_RECORD_EVENT, billingRecordSchema);
export type BillingRecordEvent = z.infer<typeof billingRecordEventSchema>;
