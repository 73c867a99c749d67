import { ZodError } from 'zod';

/** A one-line reason for a rejected row or a failed call: zod issues as "path: message", else the message. */
export function describeError(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
  }
  // Duck-typed: errors from another realm (Node internals under jest's sandbox) fail instanceof Error.
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
