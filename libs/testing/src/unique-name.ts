import { randomBytes } from 'node:crypto';

/** Topic, group, bucket and database names that never collide between runs or tests. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`.toLowerCase();
}
