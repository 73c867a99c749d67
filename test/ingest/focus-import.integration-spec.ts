import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import Decimal from 'decimal.js';
import { deadLetterTopic } from '@costwatch/contracts';
import { collectMessages, testEndpoints, waitFor } from '@costwatch/testing';
import { IngestHarness } from './ingest-harness';

const FIXTURE = resolve(__dirname, '../../services/collector/test/fixtures/focus-sample.csv');
const CLI = resolve(__dirname, '../../dist/services/collector/src/cli/main.js');

type Row = Record<string, string>;

/** The file's own per-day, per-service sums, computed here with csv-parse and decimal.js. */
function fileTotals(): Map<string, string> {
  const rows = parse(readFileSync(FIXTURE), { columns: true, bom: true, skip_empty_lines: true }) as Row[];
  const totals = new Map<string, Decimal>();
  for (const row of rows) {
    const decimals = (row['EffectiveCost'] ?? '').split('.')[1]?.length ?? 0;
    const tags = row['Tags'];
    let tagsValid = true;
    if (tags && tags !== 'NULL') {
      try {
        JSON.parse(tags);
      } catch {
        tagsValid = false;
      }
    }
    if (decimals > 12 || !tagsValid) continue; // the two rows the import must reject
    const key = `${row['ChargePeriodStart']!.slice(0, 10)}|${row['ServiceName']}|${row['BillingCurrency']}`;
    totals.set(key, (totals.get(key) ?? new Decimal(0)).plus(row['EffectiveCost'] ?? '0'));
  }
  return new Map([...totals].map(([k, v]) => [k, v.toFixed()]));
}

describe('FOCUS import through the pipeline', () => {
  const harness = new IngestHarness(18295);

  beforeAll(() => harness.start(), 120_000);
  afterAll(() => harness.stop());

  async function importFocus(): Promise<string> {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'import-focus', FIXTURE], {
      env: { PATH: process.env['PATH'] ?? '', KAFKA_BROKERS: testEndpoints().kafkaBrokers.join(','), KAFKA_TOPIC_PREFIX: harness.prefix, LOG_LEVEL: 'warn' },
    });
    return stdout;
  }

  async function storedTotals(): Promise<Map<string, string>> {
    const docs = await harness.mongo.db.collection<{ date: string; serviceName: string; currency: string; amount: string }>('billing_daily').find({}).toArray();
    const totals = new Map<string, Decimal>();
    for (const d of docs) {
      const key = `${d.date}|${d.serviceName}|${d.currency}`;
      totals.set(key, (totals.get(key) ?? new Decimal(0)).plus(d.amount));
    }
    return new Map([...totals].map(([k, v]) => [k, v.toFixed()]));
  }

  it('stores per-day, per-service totals equal to the file, and re-importing changes nothing', async () => {
    const summary = await importFocus();
    expect(summary).toMatch(/^focus: published \d+ records .* rejected 2, in /m);

    const expected = fileTotals();
    const stored = await waitFor(async () => {
      const totals = await storedTotals();
      return [...expected].every(([k, v]) => totals.get(k) === v) ? totals : undefined;
    }, 'FOCUS totals in MongoDB', 90_000, 500);
    expect(stored).toEqual(expected);

    await importFocus();
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await storedTotals()).toEqual(expected);

    const dead = await collectMessages(harness.kafka, deadLetterTopic(harness.topics.billingRecords), 4);
    const locations = dead.map((m) => m.headers?.['x-dlq-location']?.toString() ?? '');
    expect(new Set(locations).size).toBe(2);
    for (const location of locations) expect(location).toMatch(/^line \d+ of focus-sample\.csv$/);
  });
});
