import type { z } from 'zod';
import { ConfigError } from './config-error';

/**
 * Parses the environment once into a typed, frozen config object. The only place in a
 * service that reads `process.env`; a bad or missing value throws a ConfigError naming it.
 */
export function parseConfig<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv = process.env): Readonly<z.output<S>> {
  // Empty strings count as unset, so `FOO=` in a compose file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) throw ConfigError.fromZod(result.error, cleaned);
  return Object.freeze(result.data) as Readonly<z.output<S>>;
}
