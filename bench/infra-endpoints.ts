import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The local servers' endpoints as `tools/infra/infra.mjs env` prints them (it honours the
 * same env overrides the tests do), so a benchmark needs no endpoint settings of its own.
 */
export function infraEndpoints(root: string): Record<string, string> {
  const text = execFileSync(process.execPath, [resolve(root, 'tools/infra/infra.mjs'), 'env'], { encoding: 'utf8' });
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) env[match[1]] = match[2].replace(/^['"]|['"]$/g, '');
  }
  return env;
}
