import { canonicalAmount, fromScaled, MoneyFormatError, toScaled, type BillingRecord } from '@costwatch/contracts';
import { type RejectedRow, type SourceBatch } from '../../domain/billing-source';
import { buildRecord } from '../../domain/build-record';
import { describeError } from './describe-error';

/** One line item as a source read it, before it is summed into its record. */
export interface SourceRow {
  domainId: string;
  projectId: string;
  serviceId: string;
  serviceName: string;
  granularity: BillingRecord['granularity'];
  periodStart: Date;
  periodEnd: Date;
  currency: string;
  /** The amount as sent (a decimal string, exponent allowed); summed exactly. */
  amount: string;
  chargeCategory?: BillingRecord['chargeCategory'];
  chargeClass?: BillingRecord['chargeClass'];
  tags?: Record<string, string>;
}

interface Aggregate {
  first: SourceRow;
  firstLocation: string;
  rows: number;
  scaledTotal: bigint;
  periodEndMs: number;
  /** Tags every row of the aggregate agrees on; null once they share none. */
  commonTags: Map<string, string> | null;
}

const PLAIN_DECIMAL = /^-?\d{1,18}(\.\d{1,12})?$/;
/** Decimal notation, an exponent allowed. decimal.js also reads "0x1F", "0b11", "0o7" and "1_000", which no bill means. */
const DECIMAL_NOTATION = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/** Exact fixed-point value of an amount: plain decimals directly, other decimal notations through canonicalAmount (which rejects > 12 decimals). */
function scaledAmount(amount: string): bigint {
  const text = amount.trim();
  if (PLAIN_DECIMAL.test(text)) return toScaled(text);
  if (!DECIMAL_NOTATION.test(text)) throw new MoneyFormatError(amount, 'not a decimal number');
  return toScaled(canonicalAmount(text));
}

/** Length-prefixed, so no choice of characters in the parts can make two identities collide. */
function identityKey(row: SourceRow, startMs: number): string {
  const { domainId, projectId, serviceId, currency } = row;
  return `${domainId.length}:${domainId}${projectId.length}:${projectId}${serviceId.length}:${serviceId}${currency.length}:${currency}${row.granularity}${startMs}`;
}

function intersectTags(common: Map<string, string> | null, tags: Record<string, string> | undefined): Map<string, string> | null {
  if (common === null || tags === undefined) return null;
  for (const [key, value] of common) {
    if (tags[key] !== value) common.delete(key);
  }
  return common.size > 0 ? common : null;
}

/**
 * Sums line items per record identity (domain, project, service, period start, granularity,
 * currency — exactly what the deterministic record id covers), so a source never emits two
 * records with one id in one collection: the second would overwrite the first downstream.
 * Memory grows with distinct identities, not with rows. Sums are exact (bigint, 12 decimals).
 * An aggregate keeps the first row's service name, the latest period end, and the tags all of
 * its rows agree on.
 */
export class RecordAggregator {
  private readonly aggregates = new Map<string, Aggregate>();

  /**
   * `netOfCredits`: the source's amounts are net of the credits and refunds applied to them
   * (AWS Cost Explorer per service, KakaoCloud per item), so a negative total is their surplus
   * and is recorded as an Adjustment, the category negative money belongs to (a Usage
   * record may not be negative).
   */
  constructor(
    private readonly source: BillingRecord['source'],
    private readonly collectedAt: Date,
    private readonly netOfCredits = false,
  ) {}

  get size(): number {
    return this.aggregates.size;
  }

  /**
   * Adds one row; returns the rejection when the row cannot belong to a valid record.
   * `amountField` names the amount in reasons (e.g. "EffectiveCost").
   */
  add(row: SourceRow, location: string, raw?: unknown, amountField = 'amount'): RejectedRow | undefined {
    let scaled: bigint;
    try {
      scaled = scaledAmount(row.amount);
    } catch (error) {
      return this.reject(location, `${amountField}: ${describeError(error)}`, raw);
    }
    const startMs = row.periodStart.getTime();
    const endMs = row.periodEnd.getTime();
    if (!(endMs > startMs)) return this.reject(location, 'period end must be after period start', raw);

    const key = identityKey(row, startMs);
    const existing = this.aggregates.get(key);
    if (existing !== undefined) {
      existing.rows += 1;
      existing.scaledTotal += scaled;
      existing.periodEndMs = Math.max(existing.periodEndMs, endMs);
      existing.commonTags = intersectTags(existing.commonTags, row.tags);
      return undefined;
    }
    // First row of an identity: validate everything a record needs once, with this row's
    // location. The sign is the total's to judge (a credit line may come before the usage).
    try {
      buildRecord({
        ...this.fields(row, scaled),
        amount: fromScaled(scaled < 0n ? -scaled : scaled),
        ...(row.tags !== undefined && Object.keys(row.tags).length > 0 ? { tags: row.tags } : {}),
        collectedAt: this.collectedAt,
      });
    } catch (error) {
      return this.reject(location, describeError(error), raw);
    }
    this.aggregates.set(key, {
      first: row,
      firstLocation: location,
      rows: 1,
      scaledTotal: scaled,
      periodEndMs: endMs,
      commonTags: row.tags !== undefined && Object.keys(row.tags).length > 0 ? new Map(Object.entries(row.tags)) : null,
    });
    return undefined;
  }

  /** Emits one record per identity in batches, then forgets them. */
  *drain(batchSize: number): Generator<SourceBatch> {
    let batch: SourceBatch = { records: [], rejected: [] };
    for (const aggregate of this.aggregates.values()) {
      try {
        batch.records.push(
          buildRecord({
            ...this.fields(aggregate.first, aggregate.scaledTotal),
            periodEnd: new Date(aggregate.periodEndMs),
            amount: fromScaled(aggregate.scaledTotal),
            ...(aggregate.commonTags !== null ? { tags: Object.fromEntries(aggregate.commonTags) } : {}),
            collectedAt: this.collectedAt,
          }),
        );
      } catch (error) {
        // e.g. a total past 18 integer digits: reported with where its first row came from.
        batch.rejected.push({
          source: this.source,
          location: `${aggregate.firstLocation} and ${aggregate.rows - 1} more row(s) of the same record`,
          reason: describeError(error),
        });
      }
      if (batch.records.length + batch.rejected.length >= batchSize) {
        yield batch;
        batch = { records: [], rejected: [] };
      }
    }
    this.aggregates.clear();
    if (batch.records.length + batch.rejected.length > 0) yield batch;
  }

  /** The record fields a row contributes (tags and amount are the aggregate's, `scaledTotal`). */
  private fields(row: SourceRow, scaledTotal: bigint) {
    const chargeCategory = row.chargeCategory ?? (this.netOfCredits && scaledTotal < 0n ? 'Adjustment' : undefined);
    return {
      source: this.source,
      domainId: row.domainId,
      projectId: row.projectId,
      serviceId: row.serviceId,
      serviceName: row.serviceName,
      granularity: row.granularity,
      periodStart: row.periodStart,
      periodEnd: row.periodEnd,
      currency: row.currency,
      amount: row.amount,
      ...(chargeCategory !== undefined ? { chargeCategory } : {}),
      ...(row.chargeClass !== undefined ? { chargeClass: row.chargeClass } : {}),
    };
  }

  private reject(location: string, reason: string, raw: unknown): RejectedRow {
    return { source: this.source, location, reason, ...(raw !== undefined ? { raw } : {}) };
  }
}
