import { createHash } from 'node:crypto';
import type { BillingRecord } from './billing-record';

export type RecordIdentity = Pick<
  BillingRecord,
  'source' | 'domainId' | 'projectId' | 'serviceId' | 'periodStart' | 'granularity' | 'currency'
>;

/**
 * Deterministic record id: the same source, account/domain, project, service, period,
 * granularity and currency always give the same id, so redelivery, re-collection and
 * replay overwrite instead of double counting. The period start is normalised to UTC
 * milliseconds so "+09:00" and "Z" spellings of one instant agree.
 */
export function billingRecordId(identity: RecordIdentity): string {
  const periodStart = new Date(identity.periodStart).toISOString();
  const key = [
    identity.source,
    identity.domainId,
    identity.projectId,
    identity.serviceId,
    periodStart,
    identity.granularity,
    identity.currency,
  ].join('|');
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** The key that keeps one domain/project/service series on one partition. */
export function seriesKey(s: Pick<BillingRecord, 'domainId' | 'projectId' | 'serviceId'>): string {
  return `${s.domainId}|${s.projectId}|${s.serviceId}`;
}
