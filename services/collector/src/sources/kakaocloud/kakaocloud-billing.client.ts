import { BillingSourceError } from '../shared/billing-source-error';
import { describeError } from '../shared/describe-error';
import { redact } from '../shared/redact';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryDecision, type RetryPolicy } from '../shared/retry';
import type { KakaoCloudSourceSettings } from './kakaocloud-options';
import { kakaoCloudPageSchema, parseJsonKeepingAmounts, type KakaoCloudPage } from './kakaocloud-page.schema';

const BODY_EXCERPT_CHARS = 500;

/** A non-2xx answer; its message carries the status and a redacted excerpt of the body. */
class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    statusText: string,
    body: string,
    readonly retryAfterMs: number | undefined,
  ) {
    const excerpt = body.length > BODY_EXCERPT_CHARS ? `${body.slice(0, BODY_EXCERPT_CHARS)}…` : body;
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''}: ${excerpt.length > 0 ? excerpt : '(empty body)'}`);
    this.name = 'HttpStatusError';
  }
}

/** The request never got an answer (connection refused, reset, DNS, timeout). */
class TransportError extends Error {
  constructor(error: unknown) {
    const inner = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
    const cause = inner !== undefined ? ` (${describeError(inner)})` : '';
    super(`${describeError(error)}${cause}`, { cause: error });
    this.name = 'TransportError';
  }
}

/** Retry-After as seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function classify(error: unknown): RetryDecision {
  if (error instanceof TransportError) return { retry: true };
  if (error instanceof HttpStatusError && (error.status === 429 || error.status >= 500)) {
    return error.retryAfterMs === undefined ? { retry: true } : { retry: true, notBeforeMs: error.retryAfterMs };
  }
  return { retry: false };
}

/**
 * HTTP side of the KakaoCloud-style Billing API: credential headers, per-request timeout,
 * bounded retries of 429 / 5xx / transport failures, pagination by next-page token or page
 * count. Credentials live in private fields (not visible to util.inspect / JSON) and are
 * redacted from every error message, even when a server echoes them in a body.
 */
export class KakaoCloudBillingClient {
  readonly #credentialId: string;
  readonly #credentialSecret: string;
  private readonly settings: Omit<KakaoCloudSourceSettings, 'credentialId' | 'credentialSecret'>;
  private readonly retryPolicy: RetryPolicy;

  constructor(settings: KakaoCloudSourceSettings) {
    const { credentialId, credentialSecret, ...rest } = settings;
    this.#credentialId = credentialId;
    this.#credentialSecret = credentialSecret;
    this.settings = rest;
    this.retryPolicy = { ...DEFAULT_RETRY_POLICY, ...rest.retry };
  }

  /** Every page of one metering day, in order. Throws BillingSourceError when a page cannot be had. */
  async *dailyCostPages(ymd: string): AsyncGenerator<{ pageNumber: number; page: KakaoCloudPage }> {
    const seenTokens = new Set<string>();
    let token: string | undefined;
    for (let pageNumber = 1; ; pageNumber += 1) {
      if (pageNumber > this.settings.maxPages) {
        throw new BillingSourceError('kakaocloud', 'BAD_RESPONSE', `date ${ymd}: more than ${this.settings.maxPages} pages; stopping (maxPages)`);
      }
      const page = await this.getPage(this.pageUrl(ymd, pageNumber, token), pageNumber);
      yield { pageNumber, page };
      const next = page.nextPageToken;
      if (typeof next === 'string' && next.length > 0) {
        if (seenTokens.has(next)) {
          throw new BillingSourceError('kakaocloud', 'BAD_RESPONSE', `date ${ymd}: page ${pageNumber} repeats an earlier nextPageToken; the server is looping`);
        }
        seenTokens.add(next);
        token = next;
      } else if (page.totalPages !== undefined && (page.page ?? pageNumber) < page.totalPages) {
        token = undefined;
      } else {
        return;
      }
    }
  }

  private pageUrl(ymd: string, pageNumber: number, token: string | undefined): URL {
    const url = new URL(this.settings.dailyCostsPath.replace(/^\//, ''), this.settings.baseUrl.endsWith('/') ? this.settings.baseUrl : `${this.settings.baseUrl}/`);
    url.searchParams.set('date', ymd);
    url.searchParams.set('page', String(pageNumber));
    url.searchParams.set('pageSize', String(this.settings.pageSize));
    if (token !== undefined) url.searchParams.set('pageToken', token);
    return url;
  }

  private async getPage(url: URL, pageNumber: number): Promise<KakaoCloudPage> {
    const operation = `GET ${url.pathname}${url.search}`;
    let body: string;
    try {
      body = await withRetry(() => this.fetchText(url), this.retryPolicy, { source: 'kakaocloud', operation, classify });
    } catch (error) {
      if (error instanceof HttpStatusError) {
        throw new BillingSourceError('kakaocloud', 'HTTP_STATUS', `${operation} answered ${error.message}`);
      }
      throw error;
    }
    let json: unknown;
    try {
      json = parseJsonKeepingAmounts(body);
    } catch (error) {
      throw new BillingSourceError('kakaocloud', 'BAD_RESPONSE', `${operation}: page ${pageNumber} is not JSON (${describeError(error)})`);
    }
    const parsed = kakaoCloudPageSchema.safeParse(json);
    if (!parsed.success) {
      throw new BillingSourceError('kakaocloud', 'BAD_RESPONSE', `${operation}: page ${pageNumber} is not the documented shape (${describeError(parsed.error)})`);
    }
    return parsed.data;
  }

  private async fetchText(url: URL): Promise<string> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { Accept: 'application/json', 'Credential-ID': this.#credentialId, 'Credential-Secret': this.#credentialSecret },
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw new TransportError(error);
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      throw new TransportError(error);
    }
    if (response.ok) return body;
    throw new HttpStatusError(
      response.status,
      response.statusText,
      redact(body, [this.#credentialId, this.#credentialSecret]),
      retryAfterMs(response.headers.get('retry-after')),
    );
  }
}
