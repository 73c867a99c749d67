/**
 * Keys whose values never reach a log line (DESIGN invariant 8): cloud keys, S3 keys,
 * webhook URLs, tokens. pino redacts by path, so each key is listed at the depths where
 * configs and errors put it.
 */
export const SECRET_KEYS = [
  'password',
  'secret',
  'secretAccessKey',
  'sessionToken',
  'token',
  'accessToken',
  'apiKey',
  'authorization',
  'credentialSecret',
  'webhookUrl',
  'slackWebhookUrl',
  'S3_SECRET_ACCESS_KEY',
  'KAKAOCLOUD_CREDENTIAL_SECRET',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'WEBHOOK_URL',
  'SLACK_WEBHOOK_URL',
] as const;

export const REDACTED = '[REDACTED]';

export function redactionPaths(keys: readonly string[] = SECRET_KEYS): string[] {
  return keys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]).concat(['req.headers.authorization', 'req.headers.cookie']);
}
