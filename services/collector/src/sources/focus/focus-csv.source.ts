import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse, type CsvError } from 'csv-parse';
import { z } from 'zod';
import type { BillingSource, CollectionWindow, RejectedRow, SourceBatch } from '../../domain/billing-source';
import { BillingSourceError } from '../shared/billing-source-error';
import { describeError } from '../shared/describe-error';
import { RecordAggregator } from '../shared/record-aggregator';
import { focusCostColumns, locateFocusColumns } from './focus-columns';
import { FocusRowParser } from './focus-row.parser';

export const focusCsvSourceOptionsSchema = z.object({
  /** One export or the parts of one export (".csv" or ".csv.gz"); summed together. */
  files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  costColumn: z.enum(focusCostColumns).default('EffectiveCost'),
  /** Records (and rejected rows) per yielded batch. */
  batchSize: z.number().int().min(1).default(1000),
});

export type FocusCsvSourceOptions = z.input<typeof focusCsvSourceOptionsSchema>;
type FocusCsvSourceSettings = z.output<typeof focusCsvSourceOptionsSchema>;

/** What csv-parse yields per row with `info: true`. */
interface ParsedCsvRow {
  record: string[];
  info: { lines: number };
}

/**
 * FOCUS 1.x CSV import, streamed (csv-parse over a file stream; the file is never read whole).
 * Rows are summed per record identity across the whole import (every file given), because
 * many FOCUS rows (resources, SKUs) share one (account, sub-account, service, period,
 * currency) and records with one id overwrite each other downstream. Rows may come in any
 * order; memory grows with distinct identities, not rows. One record per identity is emitted
 * once the whole import is read, so re-importing a restated export replaces the old totals.
 * Each unusable row is a rejected row ("line N of file.csv") and the import goes on; a file
 * that cannot be read or lacks a required column fails the import (BAD_FILE).
 */
export class FocusCsvSource implements BillingSource {
  readonly name = 'focus' as const;
  private readonly settings: FocusCsvSourceSettings;
  private readonly files: readonly string[];

  constructor(options: FocusCsvSourceOptions) {
    const parsed = focusCsvSourceOptionsSchema.safeParse(options);
    if (!parsed.success) throw new BillingSourceError('focus', 'BAD_OPTIONS', `invalid options: ${describeError(parsed.error)}`);
    this.settings = parsed.data;
    this.files = typeof parsed.data.files === 'string' ? [parsed.data.files] : parsed.data.files;
  }

  /** The rows whose ChargePeriodStart lies in [from, to), at whatever granularity each row has. */
  collect(window: CollectionWindow): AsyncGenerator<SourceBatch> {
    return this.import({ from: window.from, to: window.to });
  }

  /** Every row of the import. */
  collectAll(): AsyncGenerator<SourceBatch> {
    return this.import(undefined);
  }

  private async *import(window: { from: Date; to: Date } | undefined): AsyncGenerator<SourceBatch> {
    const aggregator = new RecordAggregator(this.name, new Date());
    const rejected: RejectedRow[] = [];
    for (const file of this.files) {
      for await (const full of this.readFile(file, window, aggregator, rejected)) {
        yield { records: [], rejected: full };
      }
    }
    let first = true;
    for (const batch of aggregator.drain(this.settings.batchSize)) {
      yield first ? { records: batch.records, rejected: [...rejected, ...batch.rejected] } : batch;
      first = false;
    }
    if (first && rejected.length > 0) yield { records: [], rejected };
  }

  /** Streams one file into the aggregator; yields rejected rows whenever a batch of them is full. */
  private async *readFile(
    file: string,
    window: { from: Date; to: Date } | undefined,
    aggregator: RecordAggregator,
    rejected: RejectedRow[],
  ): AsyncGenerator<RejectedRow[]> {
    const label = basename(file);
    const reject = (line: number | undefined, reason: string, raw?: unknown): void => {
      rejected.push({ source: this.name, location: `line ${line ?? '?'} of ${label}`, reason, ...(raw !== undefined ? { raw } : {}) });
    };
    const parser = parse({
      bom: true,
      info: true,
      // A stray quote stays inside its line (strict mode would swallow the rest of the file).
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined, raw: string | undefined) => {
        reject(lineOf(error), describeError(error ?? 'malformed CSV'), raw);
        return undefined;
      },
    });
    const stages: (Readable | NodeJS.ReadWriteStream)[] = [createReadStream(file), ...(file.endsWith('.gz') ? [createGunzip()] : [])];
    // Errors of the file or gunzip stages reach the parser, and so the loop below.
    pipeline([...stages, parser], () => undefined);

    let rowParser: FocusRowParser | undefined;
    try {
      for await (const chunk of parser as AsyncIterable<ParsedCsvRow>) {
        const { record, info } = chunk;
        if (rowParser === undefined) {
          const columns = locateFocusColumns(record, this.settings.costColumn);
          if ('missing' in columns) {
            throw new BillingSourceError(this.name, 'BAD_FILE', `${label}: missing required FOCUS column(s) ${columns.missing.join(', ')} (header: ${record.join(',')})`);
          }
          rowParser = new FocusRowParser(columns, window);
          continue;
        }
        const parsed = rowParser.parse(record);
        if (parsed.kind === 'rejected') reject(info.lines, parsed.reason, record);
        else if (parsed.kind === 'row') {
          const rejection = aggregator.add(parsed.row, `line ${info.lines} of ${label}`, record, this.settings.costColumn);
          if (rejection !== undefined) rejected.push(rejection);
        }
        if (rejected.length >= this.settings.batchSize) yield rejected.splice(0);
      }
    } catch (error) {
      if (error instanceof BillingSourceError) throw error;
      throw new BillingSourceError(this.name, 'BAD_FILE', `${label}: ${describeError(error)}`, { cause: error });
    } finally {
      parser.destroy();
    }
    if (rowParser === undefined) throw new BillingSourceError(this.name, 'BAD_FILE', `${label}: empty file (no FOCUS header)`);
  }
}

function lineOf(error: CsvError | undefined): number | undefined {
  const lines = (error as (CsvError & { lines?: unknown }) | undefined)?.lines;
  return typeof lines === 'number' ? lines : undefined;
}
