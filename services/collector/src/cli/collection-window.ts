import { MS } from '@costwatch/contracts';
import type { CollectionWindow } from '../domain/billing-source';

/** `20261101` or `2026-11-01` → midnight UTC. */
export function parseDay(text: string): Date {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text);
  const date = match ? new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new Error(`"${text}" is not a date (YYYYMMDD or YYYY-MM-DD)`);
  return date;
}

/** An ISO 8601 instant with a zone (`2026-01-01T00:00:00Z`), or a day (`20260101`, midnight UTC). */
export function parseInstant(text: string): Date {
  if (/^\d{4}-?\d{2}-?\d{2}$/.test(text)) return parseDay(text);
  const instant = /T.*(Z|[+-]\d{2}:?\d{2})$/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(instant.getTime())) throw new Error(`"${text}" is not a time (ISO 8601 with a zone, e.g. 2026-01-01T00:00:00Z, or YYYYMMDD)`);
  return instant;
}

/** `--date D` is one day; `--from A --to B` is every day from A through B inclusive. */
export function windowFromOptions(options: { date?: string; from?: string; to?: string }, granularity: CollectionWindow['granularity']): CollectionWindow {
  if (options.date && (options.from || options.to)) throw new Error('give either --date or --from/--to, not both');
  if (options.date) {
    const day = parseDay(options.date);
    return { from: day, to: new Date(day.getTime() + MS.day), granularity };
  }
  if (!options.from || !options.to) throw new Error('give --date YYYYMMDD, or both --from and --to');
  const from = parseDay(options.from);
  const to = new Date(parseDay(options.to).getTime() + MS.day);
  if (to <= from) throw new Error('--to must not be before --from');
  return { from, to, granularity };
}
