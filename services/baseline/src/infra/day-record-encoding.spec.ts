import { decodeDayRecord, encodeDayRecord, type DayRecord } from './rollups.repository';

describe('day records as stored in billing_daily', () => {
  const records: DayRecord[] = [
    { amount: '-0.0000000001', collectedAt: '2026-11-02T04:00:00.000Z', source: 'focus', granularity: 'HOURLY', hour: 23 },
    { amount: '123456789012.123456789012', collectedAt: '2026-11-03T00:30:00Z', source: 'aws-cost-explorer', granularity: 'DAILY', hour: 0 },
  ];

  it('reads back exactly what was written, amount digit for digit', () => {
    for (const record of records) expect(decodeDayRecord(encodeDayRecord(record))).toEqual(record);
  });

  it('is one string per record', () => {
    expect(encodeDayRecord(records[0]!)).toBe('-0.0000000001|2026-11-02T04:00:00.000Z|focus|HOURLY|23');
  });

  it('still reads a record stored as a sub-document by an earlier version', () => {
    expect(decodeDayRecord(records[1]!)).toEqual(records[1]);
  });
});
