import { anomalyCsv, costCsv, csvField } from './report-csv';
import { dayCost, reportOf, storedAnomaly } from './report.fixture';

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
    expect(csvField(null)).toBe('');
  });

  it('keeps spreadsheet formulas from running, but never alters amounts', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-12.5', 'number')).toBe('-12.5');
    expect(csvField(-1.25, 'number')).toBe('-1.25');
  });
});

describe('report CSV files', () => {
  it('has one exact row per (date, domain, project, service, currency)', () => {
    const report = reportOf('daily', '2026-09-15', [
      dayCost({ date: '2026-09-15', amount: '0.000000000001', serviceName: 'VM, "large"' }),
      dayCost({ date: '2026-09-15', amount: '-3.5', serviceId: 'credit', serviceName: 'Credit' }),
    ]);
    expect(costCsv(report).split('\r\n')).toEqual([
      'date,domain,project,service,service_name,currency,cost',
      '2026-09-15,d1,p1,credit,Credit,USD,-3.5',
      '2026-09-15,d1,p1,vm,"VM, ""large""",USD,0.000000000001',
      '',
    ]);
  });

  it('lists anomalies with their window, figures, severity and status', () => {
    const report = reportOf('daily', '2026-09-15', [], [storedAnomaly({ start: '2026-09-15T10:00:00.000Z', end: '2026-09-15T12:00:00.000Z', z: null })]);
    const [header, row] = anomalyCsv(report).split('\r\n');
    expect(header).toBe('anomaly_id,domain,project,service,service_name,currency,window_start,window_end,observed,expected,z,ratio,rule,severity,status');
    expect(row).toBe('a-2026-09-15T10:00:00.000Z,d1,p1,vm,Virtual Machine,USD,2026-09-15T10:00:00.000Z,2026-09-15T12:00:00.000Z,90.5,10,,9.05,seed: z > 3 OR ratio > 2,critical,firing');
  });
});
