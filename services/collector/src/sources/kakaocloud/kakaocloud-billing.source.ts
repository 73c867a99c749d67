import { MoneyFormatError } from '@costwatch/contracts';
import type { BillingSource, CollectionWindow, RejectedRow, SourceBatch } from '../../domain/billing-source';
import { BillingSourceError } from '../shared/billing-source-error';
import { daysStartingIn, utcOffsetMinutes, type CalendarDay } from '../shared/calendar-days';
import { describeError } from '../shared/describe-error';
import { RecordAggregator, type SourceRow } from '../shared/record-aggregator';
import { fieldLimitsOf, untrustedTextReason } from '../shared/untrusted-text';
import { KakaoCloudBillingClient } from './kakaocloud-billing.client';
import { kakaoCloudSourceOptionsSchema, type KakaoCloudSourceOptions, type KakaoCloudSourceSettings } from './kakaocloud-options';
import { amountFromJsonNumber, kakaoCloudItemSchema, type KakaoCloudPage } from './kakaocloud-page.schema';

const BATCH_SIZE = 1000;
const LIMITS = fieldLimitsOf('kakaocloud');

/**
 * Daily cost per domain / project / service from a KakaoCloud-style Billing API (see
 * docs/sources.md for the assumed wire shape). DAILY windows only: the API reports whole
 * metering days, so an HOURLY window yields nothing. Each day is collected all-or-nothing —
 * every page is read and same-identity items are summed before any record of that day is
 * emitted, because a partial day would overwrite a complete one downstream (same record ids).
 */
export class KakaoCloudBillingSource implements BillingSource {
  readonly name = 'kakaocloud' as const;
  private readonly client: KakaoCloudBillingClient;
  private readonly defaultCurrency: KakaoCloudSourceSettings['defaultCurrency'];
  private readonly offsetMinutes: number;

  constructor(options: KakaoCloudSourceOptions) {
    const parsed = kakaoCloudSourceOptionsSchema.safeParse(options);
    if (!parsed.success) throw new BillingSourceError('kakaocloud', 'BAD_OPTIONS', `invalid options: ${describeError(parsed.error)}`);
    this.client = new KakaoCloudBillingClient(parsed.data);
    this.defaultCurrency = parsed.data.defaultCurrency;
    this.offsetMinutes = utcOffsetMinutes(parsed.data.meteringDayUtcOffset);
  }

  async *collect(window: CollectionWindow): AsyncGenerator<SourceBatch> {
    if (window.granularity !== 'DAILY') return;
    const collectedAt = new Date();
    for (const day of daysStartingIn(window, this.offsetMinutes)) {
      yield* this.collectDay(day, collectedAt);
    }
  }

  private async *collectDay(day: CalendarDay, collectedAt: Date): AsyncGenerator<SourceBatch> {
    const aggregator = new RecordAggregator('kakaocloud', collectedAt, true);
    const rejected: RejectedRow[] = [];
    for await (const { pageNumber, page } of this.client.dailyCostPages(day.ymd)) {
      page.items.forEach((item, index) => {
        const location = `date ${day.ymd} page ${pageNumber} item ${index + 1}`;
        const row = this.toRow(item, page, day);
        const rejection = typeof row === 'string' ? { source: this.name, location, reason: row, raw: item } : aggregator.add(row, location, item, 'cost');
        if (rejection !== undefined) rejected.push(rejection);
      });
    }
    let first = true;
    for (const batch of aggregator.drain(BATCH_SIZE)) {
      yield first ? { records: batch.records, rejected: [...rejected, ...batch.rejected] } : batch;
      first = false;
    }
    if (first && rejected.length > 0) yield { records: [], rejected };
  }

  /** An item as a row, or the reason it cannot be one. */
  private toRow(item: unknown, page: KakaoCloudPage, day: CalendarDay): SourceRow | string {
    const parsed = kakaoCloudItemSchema.safeParse(item);
    if (!parsed.success) return describeError(parsed.error);
    const { data } = parsed;
    if (data.meteringDate !== undefined && data.meteringDate !== day.ymd) {
      return `meteringDate ${data.meteringDate} is not the requested date ${day.ymd}`;
    }
    const untrusted =
      untrustedTextReason('domainId', data.domainId, LIMITS.domainId) ??
      untrustedTextReason('projectId', data.projectId, LIMITS.projectId) ??
      untrustedTextReason('serviceId', data.serviceId, LIMITS.serviceId) ??
      untrustedTextReason('serviceName', data.serviceName, LIMITS.serviceName);
    if (untrusted !== undefined) return untrusted;
    let amount: string;
    try {
      amount = typeof data.cost === 'number' ? amountFromJsonNumber(data.cost) : data.cost;
    } catch (error) {
      return error instanceof MoneyFormatError ? `cost: ${error.message}` : describeError(error);
    }
    return {
      domainId: data.domainId,
      projectId: data.projectId,
      serviceId: data.serviceId,
      serviceName: data.serviceName,
      granularity: 'DAILY',
      periodStart: day.start,
      periodEnd: day.end,
      currency: data.currency ?? page.currency ?? this.defaultCurrency,
      amount,
    };
  }
}
