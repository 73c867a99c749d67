import type { z } from 'zod';

/** Startup refuses to continue with a bad setting; the message names every bad setting. */
export class ConfigError extends Error {
  constructor(readonly problems: ReadonlyArray<{ setting: string; problem: string }>) {
    super(`Invalid configuration: ${problems.map((p) => `${p.setting}: ${p.problem}`).join('; ')}`);
    this.name = 'ConfigError';
  }

  static fromZod(error: z.ZodError): ConfigError {
    return new ConfigError(
      error.issues.map((issue) => ({
        setting: issue.path.length > 0 ? issue.path.join('.') : '(root)',
        problem: issue.code === 'invalid_type' && issue.input === undefined ? 'is required but not set' : issue.message,
      })),
    );
  }
}
