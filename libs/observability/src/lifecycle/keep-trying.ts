import type { Logger } from 'pino';
import { redactUrl } from '../logging/redact-url';

export interface KeepTryingOptions {
  signal?: AbortSignal;
  /** Where the dependency is (a URL or host:port list); logged redacted, so operators see what is unreachable. */
  target?: string;
}

/**
 * Runs `attempt` until it succeeds, backing off from 500 ms up to 30 s, logging each
 * failure with the error (message, code, cause) and the dependency's redacted URL. Used for
 * connecting to dependencies at startup: an unreachable broker or database keeps the
 * service alive but not ready, instead of crashing it.
 */
export async function keepTrying(what: string, attempt: () => Promise<void>, logger: Logger, options: AbortSignal | KeepTryingOptions = {}): Promise<void> {
  const { signal, target } = options instanceof AbortSignal ? { signal: options, target: undefined } : options;
  const where = target === undefined ? undefined : redactUrl(target);
  const dependency = where === undefined ? {} : { dependency: where };
  for (let failures = 0; !signal?.aborted; failures += 1) {
    try {
      await attempt();
      if (failures > 0) logger.info({ what, ...dependency, failures }, 'dependency reachable again');
      return;
    } catch (error) {
      const delayMs = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
      logger.warn({ what, ...dependency, err: error, delayMs }, where === undefined ? 'dependency unreachable; retrying' : `dependency unreachable at ${where}; retrying`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
