import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Jest global setup of the integration tier: starts the local stack (or reuses the one
 * running, or leaves alone any server whose endpoint env var is already set) and exports
 * the endpoints to the test processes.
 */
export default function globalSetup(): void {
  const infra = resolve(__dirname, '../../../tools/infra/infra.mjs');
  execFileSync(process.execPath, [infra, 'up'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exports = execFileSync(process.execPath, [infra, 'env'], { encoding: 'utf8' });
  for (const line of exports.split('\n')) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match?.[1] || match[2] === undefined) continue;
    process.env[match[1]] = match[2].replace(/^['"]|['"]$/g, '');
  }
}
