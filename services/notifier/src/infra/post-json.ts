/**
 * POSTs JSON and fails on anything but 2xx. Error messages never contain the URL: webhook
 * URLs are secrets, and error messages end up in logs and dead-letter headers.
 */
export async function postJson(url: string, body: unknown, timeoutMs: number, headers: Record<string, string> = {}): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new Error(transportFailure(error, timeoutMs));
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
    throw new Error(`HTTP ${response.status}${text ? `: ${text}` : ''}`);
  }
  // Drain the body so the connection returns to the pool.
  await response.arrayBuffer().catch(() => undefined);
}

/** Duck-typed: fetch's errors may come from another realm (jest's vm), where `instanceof Error` fails. */
function transportFailure(error: unknown, timeoutMs: number): string {
  const { name, cause } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; cause?: { code?: unknown } };
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return code ? `connection failed (${code})` : 'connection failed';
}
