import { z } from 'zod';
import { decimalAmountSchema } from '../money/decimal-amount';
import { envelopeSchema } from './envelope';
import { withoutPollutingKeys } from './polluting-keys';
import { checkIntrinsicRules, checkPolicyRules, defaultRecordPolicy, type RecordPolicy } from './record-rules';

export * from './iso-currencies';
export * from './polluting-keys';
export * from './record-rules';

export const billingSources = ['synthetic', 'kakaocloud', 'aws-cost-explorer', 'focus', 'prometheus'] as const;
export const granularities = ['HOURLY', 'DAILY'] as const;
export const chargeCategories = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const;

/** Identifier segments must not contain the `|` separator used to build deterministic ids. */
const segment = z
  .string()
  .min(1)
  .max(256)
  .refine((value) => !value.includes('|'), 'must not contain "|"');

/** The structure of a record; the semantic rules are added by billingRecordSchemaFor. */
const billingRecordObject = z.object({
  id: z.string().min(1).max(64),
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
  chargeCategory: z.enum(chargeCategories).optional(),
  /** FOCUS ChargeClass: a correction of an earlier billing period (e.g. a refund) may be negative whatever its category. */
  chargeClass: z.enum(['Correction']).optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

const withIntrinsicRules = billingRecordObject
  .refine((r) => Date.parse(r.periodEnd) > Date.parse(r.periodStart), {
    message: 'periodEnd must be after periodStart',
    path: ['periodEnd'],
  })
  .superRefine(checkIntrinsicRules);

export type BillingRecord = z.infer<typeof billingRecordObject>;

/**
 * One cost line: what one service of one project of one domain (account) cost over one
 * period, as reported by a source. `id` is deterministic (see billingRecordId) and checked
 * against the fields: the same period collected twice has the same id, and a restatement
 * (newer `collectedAt`) replaces it. Beyond its structure a record must satisfy the rules
 * of record-rules.ts — the intrinsic ones always, the policy ones as configured — and carry
 * no prototype-polluting key; each failure names its field.
 */
export function billingRecordSchemaFor(policy: RecordPolicy): z.ZodType<BillingRecord, unknown> {
  return withoutPollutingKeys(withPolicyRules(policy));
}

/** Without the polluting-key guard, which the caller applies to the whole input once. */
const withPolicyRules = (policy: RecordPolicy) => withIntrinsicRules.superRefine((record, ctx) => checkPolicyRules(record, ctx, policy));

/**
 * The rules every record obeys whatever the deployment's RECORD_* settings (no currency
 * list, no time window): what a source checks per row, before the publishing collector
 * applies its configured policy.
 */
export const billingRecordIntrinsicSchema: z.ZodType<BillingRecord, unknown> = withoutPollutingKeys(withIntrinsicRules);

/** The record contract with the default policy. */
export const billingRecordSchema = billingRecordSchemaFor(defaultRecordPolicy);

export const BILLING_RECORD_EVENT = 'billing.record';

/** The record event with `policy`; the envelope is checked for polluting keys too. */
export function billingRecordEventSchemaFor(policy: RecordPolicy) {
  return withoutPollutingKeys(envelopeSchema(BILLING_RECORD_EVENT, withPolicyRules(policy)));
}

export const billingRecordEventSchema = billingRecordEventSchemaFor(defaultRecordPolicy);
export type BillingRecordEvent = z.infer<typeof billingRecordEventSchema>;
