import { billingRecordId, billingRecordIntrinsicSchema, canonicalAmount, type BillingRecord } from '@costwatch/contracts';

export type RecordFields = Omit<BillingRecord, 'id' | 'amount' | 'periodStart' | 'periodEnd' | 'collectedAt'> & {
  amount: string | number;
  periodStart: Date | string;
  periodEnd: Date | string;
  collectedAt?: Date | string;
};

const iso = (value: Date | string): string => (typeof value === 'string' ? new Date(value) : value).toISOString();

/**
 * Builds a validated record with its deterministic id and canonical amount. Throws (zod
 * or MoneyFormatError) with the reason when the fields do not make a valid record. The
 * deployment's RECORD_* rules (currency list, time window) are applied when it is published.
 */
export function buildRecord(fields: RecordFields): BillingRecord {
  const periodStart = iso(fields.periodStart);
  const candidate = {
    ...fields,
    amount: canonicalAmount(fields.amount),
    periodStart,
    periodEnd: iso(fields.periodEnd),
    collectedAt: iso(fields.collectedAt ?? new Date()),
    id: billingRecordId({ ...fields, periodStart }),
  };
  return billingRecordIntrinsicSchema.parse(candidate);
}
