import { z } from 'zod';

/** Keys that reach an object's prototype when assigned: never data, always an attack or a bug. */
export const POLLUTING_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Paths of every polluting key in a parsed JSON value, however deep. JSON.parse keeps
 * `"__proto__"` as an own key, so it is found here before any schema copies the object
 * (copying a `__proto__` key into a plain object would replace its prototype). Iterative,
 * so deeply nested input cannot exhaust the stack.
 */
export function pollutingKeyPaths(value: unknown): Array<Array<string | number>> {
  const found: Array<Array<string | number>> = [];
  const stack: Array<{ value: unknown; path: Array<string | number> }> = [{ value, path: [] }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const current = item.value;
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      current.forEach((element: unknown, index) => stack.push({ value: element, path: [...item.path, index] }));
      continue;
    }
    for (const key of Object.keys(current)) {
      const path = [...item.path, key];
      if (POLLUTING_KEYS.has(key)) found.push(path);
      else stack.push({ value: (current as Record<string, unknown>)[key], path });
    }
  }
  return found;
}

/** Deeper than any record; a deeper value is refused rather than walked. */
const MAX_DEPTH = 64;

/**
 * Whether `value` holds a polluting key or nests deeper than MAX_DEPTH: the allocation-free
 * check every message takes (pollutingKeyPaths names the keys of the few that fail).
 */
function suspicious(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const element of value as unknown[]) if (suspicious(element, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (POLLUTING_KEYS.has(key)) return true;
    if (suspicious((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/**
 * `schema`, but input carrying a polluting key anywhere is rejected first, each such key
 * named by its path, and never reaches the schema (nor does input nested deeper than any
 * record).
 */
export function withoutPollutingKeys<T extends z.ZodType>(schema: T): z.ZodType<z.output<T>, z.input<T>> {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (!suspicious(value, 0)) return;
      const paths = pollutingKeyPaths(value);
      for (const path of paths) ctx.addIssue({ code: 'custom', path, message: `prototype-polluting key "${String(path[path.length - 1])}" is not allowed` });
      if (paths.length === 0) ctx.addIssue({ code: 'custom', path: [], message: `nested more than ${MAX_DEPTH} levels deep` });
    })
    .pipe(schema) as unknown as z.ZodType<z.output<T>, z.input<T>>;
}
