import type { z } from 'zod';
import { MS } from '../time/ms';
import { BILLING_CURRENCIES } from './iso-currencies';
import { billingRecordId, type RecordIdentity } from './record-id';

/** No cloud bill starts before this; an earlier period start is a broken or hostile record. */
export const EARLIEST_PERIOD_START = '2000-01-01T00:00:00.000Z';
const EARLIEST_PERIOD_START_MS = Date.parse(EARLIEST_PERIOD_START);

/** Charge categories whose amounts may be negative; every other one costs money. */
export const NEGATIVE_AMOUNT_CATEGORIES: ReadonlySet<string> = new Set(['Credit', 'Adjustment']);

/**
 * What a deployment decides about the records it accepts (RECORD_* settings). The collector
 * checks them before publishing, the baseline service again when it consumes.
 */
export interface RecordPolicy {
  /** Currency codes accepted besides the ISO 4217 list (e.g. one newer than the list). */
  extraCurrencies: readonly string[];
  /** A period may start at most this many days before its collection time (backfills). */
  maxAgeDays: number;
  /** A period may start at most this many hours after its collection time, and a collection time lie at most this far ahead of the validating clock. */
  maxLeadHours: number;
  /** The validating clock (ms); Date.now unless a test injects one. */
  now?: () => number;
}

export const DEFAULT_RECORD_MAX_AGE_DAYS = 3_660;
export const DEFAULT_RECORD_MAX_LEAD_HOURS = 24;

export const defaultRecordPolicy: RecordPolicy = Object.freeze({
  extraCurrencies: [],
  maxAgeDays: DEFAULT_RECORD_MAX_AGE_DAYS,
  maxLeadHours: DEFAULT_RECORD_MAX_LEAD_HOURS,
});

/** Longest identifier, name and tags a source can produce; anything longer did not come from it. */
export interface FieldLimits {
  domainId: number;
  projectId: number;
  serviceId: number;
  serviceName: number;
  tags: number;
  tagKey: number;
  tagValue: number;
}

/**
 * Per source: AWS account ids have 12 digits and AWS tags at most 128/256 characters; FOCUS
 * exports carry provider ids such as Azure subscription paths and Azure tags (512-character
 * names); the synthetic generator's ids are short slugs.
 */
export const SOURCE_FIELD_LIMITS: Readonly<Record<string, FieldLimits>> = {
  synthetic: { domainId: 64, projectId: 64, serviceId: 64, serviceName: 128, tags: 50, tagKey: 128, tagValue: 256 },
  kakaocloud: { domainId: 128, projectId: 128, serviceId: 128, serviceName: 256, tags: 50, tagKey: 128, tagValue: 256 },
  'aws-cost-explorer': { domainId: 12, projectId: 128, serviceId: 128, serviceName: 128, tags: 50, tagKey: 128, tagValue: 256 },
  focus: { domainId: 256, projectId: 256, serviceId: 256, serviceName: 256, tags: 100, tagKey: 512, tagValue: 256 },
  prometheus: { domainId: 256, projectId: 256, serviceId: 256, serviceName: 256, tags: 50, tagKey: 128, tagValue: 256 },
};

/** The fields the rules read (the record after its structure was checked). */
export interface CheckedRecord extends RecordIdentity {
  id: string;
  serviceName: string;
  amount: string;
  collectedAt: string;
  chargeCategory?: string | undefined;
  chargeClass?: string | undefined;
  tags?: Record<string, string> | undefined;
}

const NEGATIVE_ZERO = /^-0+(\.0+)?$/;

/**
 * Rules a record obeys whatever the deployment: its id is the one its fields give, money is
 * negative only where a category allows it (and never "-0"), its period does not start before
 * EARLIEST_PERIOD_START, and its fields fit its source's limits.
 */
export function checkIntrinsicRules(record: CheckedRecord, ctx: z.RefinementCtx): void {
  const expectedId = billingRecordId(record);
  if (record.id !== expectedId) ctx.addIssue({ code: 'custom', path: ['id'], message: `does not match the record's fields (source, domain, project, service, period start, granularity, currency): expected "${expectedId}"` });

  if (record.amount.startsWith('-')) {
    if (NEGATIVE_ZERO.test(record.amount)) ctx.addIssue({ code: 'custom', path: ['amount'], message: `negative zero ("${record.amount}") is not a canonical amount; write "0"` });
    else if (!NEGATIVE_AMOUNT_CATEGORIES.has(record.chargeCategory ?? '') && record.chargeClass !== 'Correction') {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `negative amount on a ${record.chargeCategory ?? 'Usage'} record: only Credit and Adjustment records and corrections (refunds) may be negative` });
    }
  }

  if (Date.parse(record.periodStart) < EARLIEST_PERIOD_START_MS) ctx.addIssue({ code: 'custom', path: ['periodStart'], message: `starts before ${EARLIEST_PERIOD_START.slice(0, 10)}` });

  const limits = SOURCE_FIELD_LIMITS[record.source];
  if (limits === undefined) return;
  for (const field of ['domainId', 'projectId', 'serviceId', 'serviceName'] as const) {
    if (record[field].length > limits[field]) ctx.addIssue({ code: 'custom', path: [field], message: `${record[field].length} characters, more than the ${limits[field]} a ${record.source} record may have` });
  }
  const tags = Object.entries(record.tags ?? {});
  if (tags.length > limits.tags) ctx.addIssue({ code: 'custom', path: ['tags'], message: `${tags.length} tags, more than the ${limits.tags} a ${record.source} record may have` });
  for (const [key, value] of tags) {
    if (key.length > limits.tagKey) ctx.addIssue({ code: 'custom', path: ['tags', key.slice(0, 64)], message: `tag key of ${key.length} characters, more than ${limits.tagKey}` });
    if (value.length > limits.tagValue) ctx.addIssue({ code: 'custom', path: ['tags', key.slice(0, 64)], message: `tag value of ${value.length} characters, more than ${limits.tagValue}` });
  }
}

const days = (ms: number): string => (ms / MS.day).toFixed(1);
const hours = (ms: number): string => (ms / MS.hour).toFixed(1);

/**
 * Rules a deployment configures: the currency is an ISO 4217 code one is billed in (or a
 * configured extra), and the period starts within [collectedAt − maxAgeDays, collectedAt +
 * maxLeadHours] with collectedAt at most maxLeadHours ahead of the validating clock — so a
 * far-future or ancient record is never aggregated and never moves an event-time clock.
 */
export function checkPolicyRules(record: CheckedRecord, ctx: z.RefinementCtx, policy: RecordPolicy): void {
  if (!BILLING_CURRENCIES.has(record.currency) && !policy.extraCurrencies.includes(record.currency)) {
    ctx.addIssue({ code: 'custom', path: ['currency'], message: `"${record.currency}" is not an ISO 4217 currency one is billed in (test, no-currency, metal and fund-unit codes are refused; RECORD_EXTRA_CURRENCIES admits more)` });
  }
  const leadMs = policy.maxLeadHours * MS.hour;
  const collectedMs = Date.parse(record.collectedAt);
  const startMs = Date.parse(record.periodStart);
  const ahead = collectedMs - (policy.now ?? Date.now)();
  if (ahead > leadMs) ctx.addIssue({ code: 'custom', path: ['collectedAt'], message: `is ${hours(ahead)} h ahead of this service's clock (at most ${policy.maxLeadHours} h: RECORD_MAX_LEAD_HOURS)` });
  if (startMs - collectedMs > leadMs) {
    ctx.addIssue({ code: 'custom', path: ['periodStart'], message: `starts ${hours(startMs - collectedMs)} h after the record was collected (at most ${policy.maxLeadHours} h: RECORD_MAX_LEAD_HOURS)` });
  }
  if (collectedMs - startMs > policy.maxAgeDays * MS.day) {
    ctx.addIssue({ code: 'custom', path: ['periodStart'], message: `starts ${days(collectedMs - startMs)} days before the record was collected (at most ${policy.maxAgeDays}: RECORD_MAX_AGE_DAYS)` });
  }
}
