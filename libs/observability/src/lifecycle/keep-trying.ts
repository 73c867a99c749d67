import type { Logger } from 'pino';

/**
 * Runs `attempt` until it succeeds, backing off from 500 ms up to 30 s, logging each
 * failure. Used for connecting to dependencies at startup: an unreachable broker or
 * database keeps the service alive but not ready, instead of crashing it.
 */
export async function keepTrying(what: string, attempt: () => Promise<void>, logger: Logger, signal?: AbortSignal): Promise<void> {
  for (let failures = 0; !signal?.aborted; failures += 1) {
    try {
      await attempt();
      if (failures > 0) logger.info({ what, failures }, 'dependency reachable again');
      return;
    } catch (error) {
      const delayMs = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
      logger.warn({ what, err: error, delayMs }, 'dependency unreachable; retrying');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
