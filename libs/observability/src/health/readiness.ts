import { redactUrl } from '../logging/redact-url';

/** One dependency a service needs before it can do useful work (broker, database, bucket…). */
export interface ReadinessCheck {
  name: string;
  /** Where the dependency is (URL, host:port list); a failure names it, redacted. */
  target?: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<void>;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The set of checks behind `/health/ready`; services add theirs at startup. */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(check: ReadinessCheck): void {
    if (this.checks.has(check.name)) throw new Error(`readiness check "${check.name}" registered twice`);
    this.checks.set(check.name, check);
  }

  async report(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async ({ name, target, check }) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return [name, { ok: true }] as const;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [name, { ok: false, error: target === undefined ? message : `${redactUrl(target)}: ${message}` }] as const;
        }
      }),
    );
    return { ready: entries.every(([, result]) => result.ok), checks: Object.fromEntries(entries) };
  }
}
