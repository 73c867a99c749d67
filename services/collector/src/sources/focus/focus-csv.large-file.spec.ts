import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Decimal from 'decimal.js';
import { FocusCsvSource } from './focus-csv.source';

const ROWS = 200_000;
const ACCOUNTS = 25;
const SERVICES = ['Amazon EC2', 'Amazon S3', 'Amazon RDS', 'AWS Lambda', 'Amazon DynamoDB', 'Amazon CloudFront', 'Amazon EKS', 'Amazon SQS'];
const DAYS = 30;
const BAD_EVERY = 50_000;
const Exact = Decimal.clone({ precision: 60 });

/** A seeded generator so a failure reproduces. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('FocusCsvSource on a large export', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'focus-large-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams 200k unsorted rows into exact per-identity totals', async () => {
    const file = join(dir, 'focus-large.csv');
    const random = lcg(42);
    // Expected totals in units of 1e-10, kept by the test itself (bigint), keyed like a record identity.
    const expected = new Map<string, bigint>();
    writeFileSync(file, 'BillingAccountId,SubAccountId,ServiceName,ChargeCategory,ChargeClass,ChargePeriodStart,ChargePeriodEnd,BillingCurrency,EffectiveCost,Tags\n');
    let chunk: string[] = [];
    let badRows = 0;
    for (let row = 1; row <= ROWS; row += 1) {
      const account = `${100000000000 + Math.floor(random() * ACCOUNTS)}`;
      const service = SERVICES[Math.floor(random() * SERVICES.length)]!;
      const day = 1 + Math.floor(random() * DAYS);
      const start = `2024-06-${String(day).padStart(2, '0')}T00:00:00Z`;
      const end = day === DAYS ? '2024-07-01T00:00:00Z' : `2024-06-${String(day + 1).padStart(2, '0')}T00:00:00Z`;
      const whole = Math.floor(random() * 1000);
      const fraction = String(Math.floor(random() * 1e10)).padStart(10, '0');
      if (row % BAD_EVERY === 0) {
        chunk.push(`${account},NULL,${service},Usage,,${start},${end},USD,${whole}.${fraction}123,NULL`);
        badRows += 1;
      } else {
        chunk.push(`${account},NULL,${service},Usage,,${start},${end},USD,${whole}.${fraction},"{""env"":""prod"",""team"":""t, ${day % 3}""}"`);
        const key = `${account} ${service} ${start}`;
        expected.set(key, (expected.get(key) ?? 0n) + BigInt(whole) * 10_000_000_000n + BigInt(fraction));
      }
      if (chunk.length === 10_000) {
        appendFileSync(file, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }

    const actual = new Map<string, string>();
    let rejected = 0;
    let batches = 0;
    for await (const batch of new FocusCsvSource({ files: file }).collectAll()) {
      batches += 1;
      rejected += batch.rejected.length;
      for (const record of batch.records) actual.set(`${record.domainId} ${record.serviceName} ${record.periodStart.replace('.000Z', 'Z')}`, record.amount);
    }

    expect(rejected).toBe(badRows);
    expect(batches).toBeGreaterThan(1);
    expect(actual.size).toBe(expected.size);
    for (const [key, units] of expected) {
      expect([key, actual.get(key)]).toEqual([key, new Exact(units.toString()).div(1e10).toFixed()]);
    }
  }, 120_000);
});
