import { MS } from '@costwatch/contracts';
import { z } from 'zod';

const UNIT_MS = { ms: 1, s: MS.second, m: MS.minute, h: MS.hour, d: MS.day } as const;
const PART = /(\d+)(ms|s|m|h|d)/g;
const WHOLE = /^(?:\d+(?:ms|s|m|h|d))+$/;

/**
 * Parses a Go/Prometheus-style duration ("90s", "5m", "4h", "1h30m", "1d") into milliseconds;
 * undefined when the text is not one. A bare number is refused on purpose: "4" could mean
 * seconds or hours, and guessing wrong silences alerts for a day.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total;
}

/** A duration setting, parsed to milliseconds and bounded. */
export function durationSetting(defaultValue: string, bounds: { min?: string; max?: string } = {}) {
  const min = parseDuration(bounds.min ?? '0s') ?? 0;
  const max = bounds.max === undefined ? Number.POSITIVE_INFINITY : (parseDuration(bounds.max) ?? Number.POSITIVE_INFINITY);
  return z
    .string()
    .default(defaultValue)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be a duration such as "30s", "5m", "4h" or "1h30m" (got "${value}")` });
        return z.NEVER;
      }
      if (ms < min || ms > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${bounds.min ?? '0s'} and ${bounds.max ?? 'unbounded'} (got "${value}")` });
        return z.NEVER;
      }
      return ms;
    });
}
