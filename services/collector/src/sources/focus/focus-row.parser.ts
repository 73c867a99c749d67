import { MS, NEGATIVE_AMOUNT_CATEGORIES, pollutingKeyPaths, type BillingRecord } from '@costwatch/contracts';
import type { SourceRow } from '../shared/record-aggregator';
import { serviceSlug } from '../shared/service-slug';
import { fieldLimitsOf, untrustedTextReason } from '../shared/untrusted-text';
import type { FocusColumns } from './focus-columns';

type ChargeCategory = NonNullable<BillingRecord['chargeCategory']>;

const CHARGE_CATEGORIES = new Map<string, ChargeCategory>(
  (['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'] as const).map((category) => [category.toLowerCase(), category]),
);
const CACHE_LIMIT = 50_000;
/** Service name used when a (non-conformant) row has none, so its cost is still counted. */
export const UNATTRIBUTED_SERVICE = 'Unattributed';
/** The longest ids and names a FOCUS record may carry (checked before anything else reads them). */
const LIMITS = fieldLimitsOf('focus');
/** Longer Tags JSON cannot hold tags a record may carry (every character escaped twice over), so it is not parsed. */
const MAX_TAGS_TEXT = LIMITS.tags * (LIMITS.tagKey + LIMITS.tagValue) * 2;
/** A negative amount: a minus sign and a non-zero digit before any exponent ("-0", "-0E5" are zero). */
const NEGATIVE = /^-[\d.]*[1-9]/;

/** FOCUS datetimes are UTC; a value without a zone is read as UTC, never as local time. */
const DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function parseUtcInstant(text: string): number | undefined {
  const match = DATETIME.exec(text);
  if (match === null) return undefined;
  const [, date, hoursMinutes = '00:00', seconds = '00', fraction = '', zone = 'Z'] = match;
  const normalisedZone = zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${date}T${hoursMinutes}:${seconds}.${fraction.padEnd(3, '0').slice(0, 3)}${normalisedZone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** What one CSV row is: a row to aggregate, outside the window, or rejected with a reason. */
export type ParsedFocusRow = { kind: 'row'; row: SourceRow } | { kind: 'outside-window' } | { kind: 'rejected'; reason: string };

/**
 * Turns FOCUS rows into source rows. Mapping (see docs/sources.md):
 * domainId = BillingAccountId; projectId = SubAccountId, else BillingAccountId;
 * serviceName = ServiceName; serviceId = slug(ServiceName), suffixed ":<category>" for every
 * ChargeCategory but Usage and ":correction-<BillingPeriodStart date>" for ChargeClass =
 * Correction, so purchases, credits, taxes and corrections are series of their own and never
 * share a record id with (and so overwrite) the usage of the same period;
 * period = ChargePeriodStart/End (HOURLY when exactly 1 h, else DAILY);
 * currency = BillingCurrency; amount = the configured cost column; tags = Tags (a JSON object);
 * chargeClass = Correction when so (a correction may be negative whatever its category).
 * Caches (instants, slugs, tag sets) are bounded, so memory does not grow with the file.
 */
export class FocusRowParser {
  private readonly instants = new Map<string, number | undefined>();
  private readonly slugs = new Map<string, string>();
  private readonly tagSets = new Map<string, Record<string, string> | undefined | string>();

  constructor(
    private readonly columns: FocusColumns,
    private readonly window: { from: Date; to: Date } | undefined,
  ) {}

  parse(cells: readonly string[]): ParsedFocusRow {
    const columns = this.columns;
    if (cells.length !== columns.width) return rejected(`expected ${columns.width} fields as in the header, found ${cells.length}`);

    const startText = value(cells, columns.ChargePeriodStart);
    const endText = value(cells, columns.ChargePeriodEnd);
    if (startText === undefined || endText === undefined) return rejected('ChargePeriodStart and ChargePeriodEnd are required');
    const startMs = this.instant(startText);
    if (startMs === undefined) return rejected(`ChargePeriodStart "${startText}" is not an ISO 8601 datetime`);
    if (this.window !== undefined && (startMs < this.window.from.getTime() || startMs >= this.window.to.getTime())) return { kind: 'outside-window' };
    const endMs = this.instant(endText);
    if (endMs === undefined) return rejected(`ChargePeriodEnd "${endText}" is not an ISO 8601 datetime`);
    if (endMs <= startMs) return rejected('ChargePeriodEnd must be after ChargePeriodStart');

    const billingAccountId = value(cells, columns.BillingAccountId);
    if (billingAccountId === undefined) return rejected('BillingAccountId is required');
    const currency = value(cells, columns.BillingCurrency);
    if (currency === undefined) return rejected('BillingCurrency is required');
    const amount = value(cells, columns.cost);
    if (amount === undefined) return rejected(`${columns.costColumn} is required`);

    const categoryText = value(cells, columns.ChargeCategory);
    const chargeCategory = categoryText === undefined ? undefined : CHARGE_CATEGORIES.get(categoryText.toLowerCase());
    if (chargeCategory === undefined) return rejected(`ChargeCategory "${categoryText ?? 'NULL'}" is not one of Usage, Purchase, Tax, Credit, Adjustment`);

    const chargeClass = value(cells, columns.ChargeClass);
    if (chargeClass !== undefined && chargeClass.toLowerCase() !== 'correction') return rejected(`ChargeClass "${chargeClass}" must be Correction or NULL`);
    // Per row, not per summed record: a negative usage line must not quietly lower a total.
    if (NEGATIVE.test(amount) && chargeClass === undefined && !NEGATIVE_AMOUNT_CATEGORIES.has(chargeCategory)) {
      return rejected(`${columns.costColumn} ${amount} is negative on a ${chargeCategory} row: only Credit and Adjustment rows and corrections (ChargeClass Correction) may be negative`);
    }

    const subAccountId = value(cells, columns.SubAccountId);
    const serviceName = value(cells, columns.ServiceName) ?? UNATTRIBUTED_SERVICE;
    const untrusted =
      untrustedTextReason('BillingAccountId', billingAccountId, LIMITS.domainId) ??
      (subAccountId === undefined ? undefined : untrustedTextReason('SubAccountId', subAccountId, LIMITS.projectId)) ??
      untrustedTextReason('ServiceName', serviceName, LIMITS.serviceName);
    if (untrusted !== undefined) return rejected(untrusted);

    const tags = this.tags(value(cells, columns.Tags));
    if (typeof tags === 'string') return rejected(tags);

    let serviceId = this.slug(serviceName);
    if (chargeCategory !== 'Usage') serviceId += `:${chargeCategory.toLowerCase()}`;
    if (chargeClass !== undefined) {
      const billingPeriodText = value(cells, columns.BillingPeriodStart);
      const billingPeriodMs = billingPeriodText === undefined ? undefined : this.instant(billingPeriodText);
      serviceId += billingPeriodMs === undefined ? ':correction' : `:correction-${new Date(billingPeriodMs).toISOString().slice(0, 10)}`;
    }

    return {
      kind: 'row',
      row: {
        domainId: billingAccountId,
        projectId: subAccountId ?? billingAccountId,
        serviceId,
        serviceName,
        granularity: endMs - startMs === MS.hour ? 'HOURLY' : 'DAILY',
        periodStart: new Date(startMs),
        periodEnd: new Date(endMs),
        currency,
        amount,
        chargeCategory,
        ...(chargeClass !== undefined ? { chargeClass: 'Correction' as const } : {}),
        ...(tags !== undefined ? { tags } : {}),
      },
    };
  }

  private instant(text: string): number | undefined {
    if (this.instants.has(text)) return this.instants.get(text);
    if (this.instants.size >= CACHE_LIMIT) this.instants.clear();
    const ms = parseUtcInstant(text);
    this.instants.set(text, ms);
    return ms;
  }

  /** Parsed Tags by their text: exports repeat the same few tag sets on many rows. Results are never mutated. */
  private tags(text: string | undefined): Record<string, string> | undefined | string {
    if (text === undefined) return undefined;
    if (this.tagSets.has(text)) return this.tagSets.get(text);
    if (this.tagSets.size >= CACHE_LIMIT) this.tagSets.clear();
    const parsed = parseTags(text);
    this.tagSets.set(text, parsed);
    return parsed;
  }

  private slug(serviceName: string): string {
    let slug = this.slugs.get(serviceName);
    if (slug === undefined) {
      if (this.slugs.size >= CACHE_LIMIT) this.slugs.clear();
      slug = serviceSlug(serviceName);
      this.slugs.set(serviceName, slug);
    }
    return slug;
  }
}

const rejected = (reason: string): ParsedFocusRow => ({ kind: 'rejected', reason });

const isSpace = (code: number): boolean => code <= 32;

/** A cell's value; empty and NULL (any case) are null in FOCUS CSV exports. Hot path: trims only when needed. */
function value(cells: readonly string[], index: number | undefined): string | undefined {
  if (index === undefined) return undefined;
  const cell = cells[index];
  if (cell === undefined || cell.length === 0) return undefined;
  const text = isSpace(cell.charCodeAt(0)) || isSpace(cell.charCodeAt(cell.length - 1)) ? cell.trim() : cell;
  return text.length === 0 || (text.length === 4 && text.toUpperCase() === 'NULL') ? undefined : text;
}

/**
 * The Tags JSON object as string values (null → "", numbers and booleans → their text,
 * nested values → their JSON). Invalid JSON rejects the row: it usually means the line's
 * quoting is broken, so its other cells — the cost included — cannot be trusted either.
 */
function parseTags(text: string): Record<string, string> | string {
  if (text.length > MAX_TAGS_TEXT) return `Tags is ${text.length} characters long, more than ${MAX_TAGS_TEXT}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `Tags is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'Tags must be a JSON object';
  // Assigning a "__proto__" key would drop it silently (or, with an object value, swap the prototype).
  const [polluting] = pollutingKeyPaths(parsed);
  if (polluting !== undefined) return `Tags holds the prototype-polluting key "${String(polluting[polluting.length - 1])}" (at ${polluting.join('.')})`;
  const tags: Record<string, string> = {};
  for (const [key, tagValue] of Object.entries(parsed)) {
    tags[key] = tagValue === null ? '' : typeof tagValue === 'string' ? tagValue : JSON.stringify(tagValue);
  }
  return tags;
}
