/**
 * A failure that another attempt cannot fix (bad payload, violated invariant): the message
 * goes straight to the dead-letter topic. Any other error is retried with backoff first.
 */
export class NonRetriableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetriableError';
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
