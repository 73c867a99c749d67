import type { z } from 'zod';
import { ConfigError } from './config-error';
import type { SettingsFile } from './settings-file';

/**
 * Parses the environment once into a typed, frozen config object. The only place in a
 * service that reads `process.env`; a bad or missing value throws a ConfigError naming it.
 * With a settings file, its values count as defaults the environment overrides, and a bad
 * one is named with the file and line it came from.
 */
export function parseConfig<S extends z.ZodTypeAny>(schema: S, env: NodeJS.ProcessEnv = process.env, file?: SettingsFile): Readonly<z.output<S>> {
  // Empty strings count as unset, so `FOO=` in a compose file falls back to the file or the default.
  const fromEnv = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const given: Record<string, unknown> = { ...file?.values, ...fromEnv };
  const origins = Object.fromEntries(Object.entries(file?.origins ?? {}).filter(([setting]) => fromEnv[setting] === undefined));
  const result = schema.safeParse(given);
  if (!result.success) throw ConfigError.fromZod(result.error, given, origins);
  return Object.freeze(result.data) as Readonly<z.output<S>>;
}
