import type { z } from 'zod';

/** One refused setting; `source` is where a settings file gave it (`path:line`). */
export interface ConfigProblem {
  setting: string;
  problem: string;
  source?: string;
}

const describe = (p: ConfigProblem): string => `${p.setting}${p.source ? ` (${p.source})` : ''}: ${p.problem}`;

/** Startup refuses to continue with a bad setting; the message names every bad setting, and the file and line of one read from a settings file. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map(describe).join('; ')}`);
    this.name = 'ConfigError';
  }

  /**
   * `given` is what was parsed; `origins` names the settings file line of each value read
   * from one. A problem inside a list or JSON setting says where: `NOTIFY_SILENCES: Unrecognized key: "endAt" (at [0])`.
   */
  static fromZod(error: z.ZodError, given: Readonly<Record<string, unknown>>, origins: Readonly<Record<string, string>> = {}): ConfigError {
    return new ConfigError(
      error.issues.map((issue) => {
        const setting = issue.path.length > 0 ? String(issue.path[0]) : '(root)';
        const isSet = issue.path.length > 0 && given[setting] !== undefined;
        const inside = issue.path.slice(1).map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');
        // A bad key of a record (a JSON object setting) says only "Invalid key in record"; its own issues say why.
        const message = issue.code === 'invalid_key' ? issue.issues.map((inner) => inner.message).join('; ') : issue.message;
        const problem = isSet ? `${message}${inside ? ` (at ${inside})` : ''}` : 'is required but not set';
        const source = isSet ? origins[setting] : undefined;
        return { setting, problem, ...(source !== undefined ? { source } : {}) };
      }),
    );
  }
}

/** What a config loader refuses, as `SETTING: problem` lines (`SETTING (file:line): problem` for a settings file's); none when it accepts the environment. */
export function configProblems(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(describe);
    throw error;
  }
  return [];
}
