import { z } from 'zod';
import { retryPolicyOptionsSchema } from '../shared/retry';

/**
 * Settings of the KakaoCloud-style Billing API source. The collector's config maps its env
 * onto this; the source validates again so a bad value fails at construction, naming the setting.
 */
export const kakaoCloudSourceOptionsSchema = z.object({
  /** e.g. "https://billing.kr-central-2.kakaocloud.com" (assumed; see docs/sources.md). */
  baseUrl: z.url({ protocol: /^https?$/ }),
  credentialId: z.string().min(1),
  credentialSecret: z.string().min(1),
  dailyCostsPath: z.string().startsWith('/').default('/v1/billing/daily-costs'),
  pageSize: z.number().int().min(1).max(10_000).default(500),
  /** Per request (AbortSignal.timeout); a timeout is retried like a 5xx. */
  timeoutMs: z.number().int().min(1).default(30_000),
  retry: retryPolicyOptionsSchema.default({}),
  /** Used when neither the item nor the page names a currency. KakaoCloud bills in KRW. */
  defaultCurrency: z.string().regex(/^[A-Z]{3}$/).default('KRW'),
  /** Where a metering day starts: "Z" (default: a UTC day, like the rest of the pipeline) or "+09:00" (KST instants). */
  meteringDayUtcOffset: z.string().regex(/^(Z|[+-]\d{2}:\d{2})$/).default('Z'),
  /** Guard against a server that never stops paging. */
  maxPages: z.number().int().min(1).default(10_000),
});

export type KakaoCloudSourceOptions = z.input<typeof kakaoCloudSourceOptionsSchema>;
export type KakaoCloudSourceSettings = z.output<typeof kakaoCloudSourceOptionsSchema>;
