import { canonicalAmount, withoutPollutingKeys } from '@costwatch/contracts';
import { z } from 'zod';

/**
 * The assumed wire shape of one page of `GET {baseUrl}/v1/billing/daily-costs?date=YYYYMMDD`
 * (documented in docs/sources.md; the real API could not be reached). Items are validated one
 * by one so a malformed item is a rejected row, not a failed page.
 */
export const kakaoCloudPageSchema = z.object({
  items: z.array(z.unknown()),
  currency: z.string().optional(),
  page: z.number().int().optional(),
  totalPages: z.number().int().optional(),
  nextPageToken: z.string().nullish(),
});

/** One item; one carrying a prototype-polluting key anywhere is refused, not stripped silently. */
export const kakaoCloudItemSchema = withoutPollutingKeys(z.object({
  meteringDate: z
    .string()
    .regex(/^\d{8}$/, 'must be YYYYMMDD')
    .optional(),
  domainId: z.string().min(1),
  projectId: z.string().min(1),
  serviceId: z.string().min(1),
  serviceName: z.string().min(1),
  /** A decimal string (exact) or a JSON number (see amountFromJsonNumber). */
  cost: z.union([z.string().min(1), z.number()]),
  currency: z.string().optional(),
}));

export type KakaoCloudPage = z.infer<typeof kakaoCloudPageSchema>;
export type KakaoCloudItem = z.infer<typeof kakaoCloudItemSchema>;

/** The keys whose numeric values are money and must keep their digits. */
const AMOUNT_KEYS = new Set(['cost']);

/**
 * JSON.parse that keeps the source text of money numbers where the runtime exposes it (the
 * reviver's third argument, "JSON.parse source text access", present from Node 21; absent in
 * Node 20, where amounts sent as numbers go through amountFromJsonNumber instead).
 */
export function parseJsonKeepingAmounts(text: string): unknown {
  return JSON.parse(text, (key: string, value: unknown, context?: { source?: unknown }) =>
    AMOUNT_KEYS.has(key) && typeof value === 'number' && typeof context?.source === 'string' ? context.source : value,
  );
}

function significantDigits(numberText: string): number {
  const mantissa = numberText.replace(/^-/, '').split(/e/i)[0] ?? '';
  return mantissa.replace('.', '').replace(/^0+/, '').length;
}

/**
 * An amount that arrived as a JSON number and was already parsed into a double. Its shortest
 * round-trip text equals the sender's literal whenever that literal had at most 15 significant
 * digits (a double holds 15 exactly), so that is accepted; 16+ digits means digits may have been
 * lost, and the item is rejected rather than silently rounded. A literal with more digits that
 * happens to round to a short double (0.10000000000000000001 → 0.1) cannot be detected on Node 20.
 */
export function amountFromJsonNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cost ${value} is not a finite number`);
  const text = String(value);
  const digits = significantDigits(text);
  if (digits > 15) {
    throw new Error(`cost ${text} was sent as a JSON number with ${digits} significant digits, more than a double holds exactly; send amounts as strings`);
  }
  return canonicalAmount(text);
}
