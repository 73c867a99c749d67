/**
 * A dependency's URL fit for a log line or a readiness report: the user, password and
 * query (which may hold credentials, e.g. `?authSource=…&password=…`) are removed, the
 * scheme, hosts and path kept. A comma-separated list (brokers) is redacted item by item.
 */
export function redactUrl(url: string): string {
  // Multi-host MongoDB URLs (mongodb://u:p@h1:1,h2:2/db) do not parse with URL: strip by hand.
  const match = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^@/]*@)?([^/?#]*)([^?#]*)/i.exec(url);
  if (match) return `${match[1]}${match[2]}${match[3]}`;
  return url
    .split(',')
    .map((part) => part.replace(/^[^@/]*@/, '').replace(/\?.*$/, ''))
    .join(',');
}
