import type { z } from 'zod';

/** Startup refuses to continue with a bad setting; the message names every bad setting. */
export class ConfigError extends Error {
  constructor(readonly problems: ReadonlyArray<{ setting: string; problem: string }>) {
    super(`Invalid configuration: ${problems.map((p) => `${p.setting}: ${p.problem}`).join('; ')}`);
    this.name = 'ConfigError';
  }

  static fromZod(error: z.ZodError, given: Readonly<Record<string, unknown>>): ConfigError {
    return new ConfigError(
      error.issues.map((issue) => {
        const setting = issue.path.length > 0 ? String(issue.path[0]) : '(root)';
        const isSet = issue.path.length > 0 && given[String(issue.path[0])] !== undefined;
        return { setting, problem: isSet ? issue.message : 'is required but not set' };
      }),
    );
  }
}

/** What a config loader refuses, as `SETTING: problem` lines; none when it accepts the environment. */
export function configProblems(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.setting}: ${p.problem}`);
    throw error;
  }
  return [];
}
