import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BillingRecord } from '@costwatch/contracts';
import { parse } from 'csv-parse/sync';
import Decimal from 'decimal.js';
import type { RejectedRow, SourceBatch } from '../../domain/billing-source';
import { BillingSourceError } from '../shared/billing-source-error';
import { FocusCsvSource } from './focus-csv.source';

const FIXTURE = join(__dirname, '../../../test/fixtures/focus-sample.csv');

async function drain(batches: AsyncIterable<SourceBatch>): Promise<{ records: BillingRecord[]; rejected: RejectedRow[] }> {
  const records: BillingRecord[] = [];
  const rejected: RejectedRow[] = [];
  for await (const batch of batches) {
    records.push(...batch.records);
    rejected.push(...batch.rejected);
  }
  return { records, rejected };
}

type FocusRow = Record<string, string>;

/** The fixture read by the test itself (csv-parse sync + decimal.js), not by the code under test. */
function readFixture(): { good: FocusRow[]; badLines: number[] } {
  const rows = parse(readFileSync(FIXTURE), { columns: true, bom: true, skip_empty_lines: true }) as FocusRow[];
  const good: FocusRow[] = [];
  const badLines: number[] = [];
  rows.forEach((row, index) => {
    const decimals = (row.EffectiveCost ?? '').split('.')[1]?.length ?? 0;
    let tagsValid = true;
    if (row.Tags !== undefined && row.Tags !== '' && row.Tags !== 'NULL') {
      try {
        JSON.parse(row.Tags);
      } catch {
        tagsValid = false;
      }
    }
    if (decimals > 12 || !tagsValid) badLines.push(index + 2); // header is line 1; no field spans lines
    else good.push(row);
  });
  return { good, badLines };
}

function totalsBy<T>(items: T[], key: (item: T) => string, amount: (item: T) => string): Map<string, string> {
  const totals = new Map<string, Decimal>();
  for (const item of items) totals.set(key(item), (totals.get(key(item)) ?? new Decimal(0)).plus(amount(item)));
  return new Map([...totals].map(([k, v]) => [k, v.toFixed()]));
}

describe('FocusCsvSource on the sample export', () => {
  it('imports every good row: per-day, per-service totals equal the file, digit for digit', async () => {
    const { good } = readFixture();

    const { records } = await drain(new FocusCsvSource({ files: FIXTURE }).collectAll());

    const expected = totalsBy(good, (r) => `${r.ChargePeriodStart!.slice(0, 10)} ${r.ServiceName} ${r.BillingCurrency}`, (r) => r.EffectiveCost!);
    const actual = totalsBy(records, (r) => `${r.periodStart.slice(0, 10)} ${r.serviceName} ${r.currency}`, (r) => r.amount);
    expect(actual).toEqual(expected);
    expect(expected.size).toBeGreaterThan(30);
    const grand = (rows: string[]) => rows.reduce((sum, a) => sum.plus(a), new Decimal(0)).toFixed();
    expect(grand(records.map((r) => r.amount))).toBe(grand(good.map((r) => r.EffectiveCost!)));
  });

  it('rejects the bad rows with their line numbers and reasons, and goes on', async () => {
    const { badLines } = readFixture();

    const { rejected } = await drain(new FocusCsvSource({ files: FIXTURE }).collectAll());

    expect(badLines).toHaveLength(2);
    expect(rejected.map((r) => r.location).sort()).toEqual(badLines.map((line) => `line ${line} of focus-sample.csv`).sort());
    expect(rejected.map((r) => r.reason).sort()).toEqual([expect.stringContaining('EffectiveCost: invalid amount "0.1234567890123": more than 12 fractional digits'), expect.stringContaining('Tags is not valid JSON')].sort());
  });

  it('emits one record per identity with unique deterministic ids, the same on re-import', async () => {
    const first = await drain(new FocusCsvSource({ files: FIXTURE }).collectAll());
    const second = await drain(new FocusCsvSource({ files: FIXTURE }).collectAll());

    const ids = first.records.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(second.records.map((r) => [r.id, r.amount]).sort()).toEqual(first.records.map((r) => [r.id, r.amount]).sort());
    // 3 resources per (sub-account, service, day) collapse into one record
    const prodEc2 = first.records.filter((r) => r.projectId === '210987654321' && r.serviceId === 'amazon-elastic-compute-cloud' && r.periodStart.startsWith('2024-09-02'));
    expect(prodEc2).toHaveLength(1);
  });

  it('maps accounts, categories, corrections, NULLs, hourly periods and common tags', async () => {
    const { records } = await drain(new FocusCsvSource({ files: FIXTURE }).collectAll());
    const find = (predicate: (r: BillingRecord) => boolean): BillingRecord[] => records.filter(predicate);

    expect(find((r) => r.chargeCategory === 'Credit')).toEqual([
      expect.objectContaining({
        domainId: '123456789012',
        projectId: '210987654321',
        serviceId: 'amazon-elastic-compute-cloud:credit',
        serviceName: 'Amazon Elastic Compute Cloud',
        amount: '-5.0000000001',
        periodStart: '2024-09-03T00:00:00.000Z',
      }),
    ]);
    expect(find((r) => r.serviceId === 'amazon-elastic-compute-cloud:tax')).toHaveLength(5);
    expect(find((r) => r.serviceId.includes(':correction'))).toEqual([
      expect.objectContaining({
        serviceId: 'amazon-simple-storage-service:correction-2024-09-01',
        chargeCategory: 'Usage',
        periodStart: '2024-08-28T00:00:00.000Z',
        periodEnd: '2024-08-29T00:00:00.000Z',
        amount: '-1.25',
      }),
    ]);
    // SubAccountId NULL → the billing account is the project; a month-long charge is DAILY with its own end.
    expect(find((r) => r.chargeCategory === 'Purchase')).toEqual([
      expect.objectContaining({ projectId: '123456789012', serviceId: 'aws-support-business:purchase', granularity: 'DAILY', periodEnd: '2024-10-01T00:00:00.000Z', amount: '100' }),
    ]);
    const hourly = find((r) => r.granularity === 'HOURLY');
    expect(hourly).toHaveLength(12);
    expect(new Set(hourly.map((r) => r.serviceId))).toEqual(new Set(['amazon-cloudwatch']));
    expect(hourly[0]?.tags).toEqual({ team: 'sre' });
    // Tags with commas and quotes survive; only tags every summed row agrees on are kept.
    const prodEc2 = find((r) => r.projectId === '210987654321' && r.serviceId === 'amazon-elastic-compute-cloud');
    expect(prodEc2).toHaveLength(5);
    for (const record of prodEc2) expect(record.tags).toEqual({ team: 'data, platform', 'cost-center': 'CC-1001' });
    const azure = find((r) => r.domainId === '8611537');
    expect(new Set(azure.map((r) => `${r.projectId} ${r.currency}`))).toEqual(new Set(['/subscriptions/5c3b2f0e-aaaa-4bbb-8ccc-1234567890ab EUR']));
    expect(azure[0]?.tags).toEqual({ owner: 'ops, eu' });
  });

  it('collect(window) keeps the rows whose charge period starts in the window, with the same totals as a full import', async () => {
    const all = await drain(new FocusCsvSource({ files: FIXTURE }).collectAll());

    const day = await drain(new FocusCsvSource({ files: FIXTURE }).collect({ from: new Date('2024-09-02T00:00:00Z'), to: new Date('2024-09-03T00:00:00Z'), granularity: 'DAILY' }));

    const onDay = all.records.filter((r) => r.periodStart.startsWith('2024-09-02'));
    expect(day.records.map((r) => [r.id, r.amount]).sort()).toEqual(onDay.map((r) => [r.id, r.amount]).sort());
    expect(day.rejected.map((r) => r.reason)).toEqual([expect.stringContaining('more than 12 fractional digits')]);
  });

  it('can take the cost from another FOCUS column', async () => {
    const { good } = readFixture();

    const { records } = await drain(new FocusCsvSource({ files: FIXTURE, costColumn: 'BilledCost' }).collectAll());

    const total = (amounts: string[]) => amounts.reduce((sum, a) => sum.plus(a), new Decimal(0)).toFixed();
    expect(total(records.map((r) => r.amount))).toBe(total(good.map((r) => r.BilledCost!)));
  });
});

describe('FocusCsvSource on edge cases', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'focus-edge-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const HEADER = 'ChargePeriodStart,ChargePeriodEnd,BillingAccountId,SubAccountId,ServiceName,ChargeCategory,ChargeClass,BillingCurrency,EffectiveCost';

  it('sums identities across the parts of one export, gzipped or not', async () => {
    const partOne = write('part-1.csv', `${HEADER}\n2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,A,,Svc,Usage,,USD,0.0000000001\n`);
    const partTwo = join(dir, 'part-2.csv.gz');
    writeFileSync(partTwo, gzipSync(`${HEADER}\n2024-09-01 00:00:00,2024-09-02 00:00:00,A,NULL,Svc,usage,,USD,1.5E-10\n`));

    const { records, rejected } = await drain(new FocusCsvSource({ files: [partOne, partTwo] }).collectAll());

    expect(rejected).toEqual([]);
    expect(records).toEqual([expect.objectContaining({ domainId: 'A', projectId: 'A', serviceId: 'svc', amount: '0.00000000025', granularity: 'DAILY' })]);
  });

  it('rejects rows with a wrong field count, a bad date, an unknown category or class, and goes on', async () => {
    const file = write(
      'mixed.csv',
      [
        HEADER,
        '2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,A,,Svc,Usage,,USD,1',
        '2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,A,,Svc,Usage,,USD',
        'yesterday,2024-09-02T00:00:00Z,A,,Svc,Usage,,USD,1',
        '2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,A,,Svc,Refund,,USD,1',
        '2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,A,,Svc,Usage,Regular,USD,1',
        '2024-09-01T00:00:00Z,2024-09-01T00:00:00Z,A,,Svc,Usage,,USD,1',
        '2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,A,,Svc,Usage,,usd,1',
        '2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,A,,Svc,Usage,,USD,2',
      ].join('\n'),
    );

    const { records, rejected } = await drain(new FocusCsvSource({ files: file }).collectAll());

    expect(records.map((r) => r.amount)).toEqual(['3']);
    expect(rejected.map((r) => [r.location, r.reason])).toEqual([
      ['line 3 of mixed.csv', 'expected 9 fields as in the header, found 8'],
      ['line 4 of mixed.csv', 'ChargePeriodStart "yesterday" is not an ISO 8601 datetime'],
      ['line 5 of mixed.csv', 'ChargeCategory "Refund" is not one of Usage, Purchase, Tax, Credit, Adjustment'],
      ['line 6 of mixed.csv', 'ChargeClass "Regular" must be Correction or NULL'],
      ['line 7 of mixed.csv', 'ChargePeriodEnd must be after ChargePeriodStart'],
      ['line 8 of mixed.csv', expect.stringContaining('currency')],
    ]);
  });

  it('keeps a stray quote inside its line, and reports a line csv-parse cannot read', async () => {
    const file = write(
      'quotes.csv',
      [HEADER, '2024-09-01T00:00:00Z,2024-09-02T00:00:00Z,A,,Svc "Pro",Usage,,USD,1', '2024-09-02T00:00:00Z,2024-09-03T00:00:00Z,A,,Svc,Usage,,USD,4', '2024-09-03T00:00:00Z,2024-09-04T00:00:00Z,A,,"Svc,Usage,,USD,8'].join(
        '\n',
      ),
    );

    const { records, rejected } = await drain(new FocusCsvSource({ files: file }).collectAll());

    expect(records.map((r) => [r.serviceName, r.amount])).toEqual([
      ['Svc "Pro"', '1'],
      ['Svc', '4'],
    ]);
    expect(rejected).toEqual([expect.objectContaining({ location: 'line 4 of quotes.csv', reason: expect.stringContaining('Quote Not Closed') })]);
  });

  it('fails the import when a required column is missing or the file cannot be read', async () => {
    const file = write('no-cost.csv', 'ChargePeriodStart,ChargePeriodEnd,BillingAccountId,ServiceName,ChargeCategory,BillingCurrency\n');

    await expect(drain(new FocusCsvSource({ files: file }).collectAll())).rejects.toThrow(/no-cost\.csv: missing required FOCUS column\(s\) EffectiveCost/);
    await expect(drain(new FocusCsvSource({ files: join(dir, 'absent.csv') }).collectAll())).rejects.toThrow(BillingSourceError);
    await expect(drain(new FocusCsvSource({ files: join(dir, 'absent.csv') }).collectAll())).rejects.toThrow(/absent\.csv: ENOENT/);
    await expect(drain(new FocusCsvSource({ files: write('empty.csv', '') }).collectAll())).rejects.toThrow(/empty file/);
  });
});
