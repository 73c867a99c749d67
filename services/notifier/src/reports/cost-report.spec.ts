import { costChart, coveredHours, niceStep } from './cost-chart';
import { dayCost, reportOf, storedAnomaly } from './report.fixture';

describe('buildCostReport', () => {
  const rows = [
    // Previous week (2026-09-07 … 13).
    dayCost({ date: '2026-09-08', amount: '100.1' }),
    dayCost({ date: '2026-09-08', serviceId: 'db', serviceName: 'MySQL', amount: '50' }),
    dayCost({ date: '2026-09-09', serviceId: 'gone', serviceName: 'Old', amount: '7' }),
    // This week (2026-09-14 … 20).
    dayCost({ date: '2026-09-14', amount: '0.1' }),
    dayCost({ date: '2026-09-14', amount: '0.2', projectId: 'p2' }),
    dayCost({ date: '2026-09-15', amount: '120.000000000001' }),
    dayCost({ date: '2026-09-15', serviceId: 'db', serviceName: 'MySQL', amount: '25' }),
    dayCost({ date: '2026-09-16', amount: '9000', currency: 'KRW' }),
  ];

  it('sums exactly per currency, day, domain, project and service, against the previous week', () => {
    const report = reportOf('weekly', '2026-09-16', rows);
    expect(report.totals).toEqual([
      { currency: 'KRW', change: { current: '9000', previous: '0', delta: '9000', percent: null } },
      { currency: 'USD', change: { current: '145.300000000001', previous: '157.1', delta: '-11.799999999999', percent: '-7.5' } },
    ]);
    expect(report.days.map((d) => [d.date, d.amounts])).toEqual([
      ['2026-09-14', { USD: '0.3' }],
      ['2026-09-15', { USD: '145.000000000001' }],
      ['2026-09-16', { KRW: '9000' }],
      ['2026-09-17', {}],
      ['2026-09-18', {}],
      ['2026-09-19', {}],
      ['2026-09-20', {}],
    ]);
    expect(report.byProject.map((l) => [l.projectId, l.currency, l.change.current, l.change.previous])).toEqual([
      ['p1', 'KRW', '9000', '0'],
      ['p1', 'USD', '145.100000000001', '157.1'],
      ['p2', 'USD', '0.2', '0'],
    ]);
    // A service present only last week shows as a drop to zero.
    expect(report.byService.find((l) => l.serviceId === 'gone')?.change).toEqual({ current: '0', previous: '7', delta: '-7', percent: '-100.0' });
  });

  it('ranks top movers by the size of the change, either way', () => {
    const report = reportOf('weekly', '2026-09-16', rows);
    expect(report.topMovers.map((l) => [l.projectId, l.serviceId, l.currency, l.change.delta])).toEqual([
      ['p1', 'vm', 'KRW', '9000'],
      ['p1', 'db', 'USD', '-25'],
      ['p1', 'vm', 'USD', '20.000000000001'],
      ['p1', 'gone', 'USD', '-7'],
      ['p2', 'vm', 'USD', '0.2'],
    ]);
  });

  it('keeps the period rows sorted for the CSV, and counts anomalies by severity and state', () => {
    const anomalies = [
      storedAnomaly({ start: '2026-09-15T10:00:00.000Z', end: '2026-09-15T12:00:00.000Z' }),
      storedAnomaly({ start: '2026-09-16T10:00:00.000Z', end: '2026-09-16T11:00:00.000Z', severity: 'info', state: 'resolved' }),
    ];
    const report = reportOf('weekly', '2026-09-16', rows, anomalies);
    expect(report.rows.map((r) => `${r.date} ${r.projectId} ${r.serviceId}`)).toEqual(['2026-09-14 p1 vm', '2026-09-14 p2 vm', '2026-09-15 p1 db', '2026-09-15 p1 vm', '2026-09-16 p1 vm']);
    expect(report.severityCounts).toEqual({ info: 1, warning: 0, critical: 1 });
    expect(report.stateCounts).toEqual({ firing: 1, resolved: 1 });
  });
});

describe('costChart', () => {
  it('draws hourly buckets for a day and daily buckets otherwise, in the largest currency', () => {
    const hours = Array.from({ length: 24 }, (_, h) => (h === 5 ? '10.5' : '1'));
    const daily = costChart(reportOf('daily', '2026-09-15', [dayCost({ date: '2026-09-15', amount: '33.5', hours })]));
    expect(daily.buckets).toHaveLength(24);
    expect(daily.stacks[0]?.values[5]).toBe(10.5);
    const weekly = costChart(reportOf('weekly', '2026-09-15', [dayCost({ date: '2026-09-15', amount: '33.5' }), dayCost({ date: '2026-09-15', amount: '1', currency: 'EUR' })]));
    expect(weekly.buckets.map((b) => b.label)).toEqual(['Mon 09-14', 'Tue 09-15', 'Wed 09-16', 'Thu 09-17', 'Fri 09-18', 'Sat 09-19', 'Sun 09-20']);
    expect(weekly.currency).toBe('USD');
    expect(weekly.subtitle).toContain('EUR not drawn');
    expect(weekly.stacks).toEqual([{ label: 'Virtual Machine', values: [0, 33.5, 0, 0, 0, 0, 0] }]);
  });

  it('stacks the services beyond the top seven together', () => {
    const rows = Array.from({ length: 10 }, (_, i) => dayCost({ date: '2026-09-15', serviceId: `s${i}`, serviceName: `Service ${i}`, amount: String(100 - i) }));
    const chart = costChart(reportOf('weekly', '2026-09-15', rows));
    expect(chart.stacks.map((s) => s.label)).toEqual(['Service 0', 'Service 1', 'Service 2', 'Service 3', 'Service 4', 'Service 5', 'Service 6', 'other services (3)']);
    expect(chart.stacks[7]?.values[1]).toBe(93 + 92 + 91);
  });

  it('merges overlapping anomaly hours and picks round axis steps', () => {
    const h = 3_600_000;
    expect(coveredHours([{ startMs: 0, endMs: 2 * h }, { startMs: h, endMs: 3 * h }, { startMs: 5 * h, endMs: 5.5 * h }])).toEqual([
      [0, 3 * h],
      [5 * h, 6 * h],
    ]);
    expect(niceStep(1330)).toBe(500);
    expect(niceStep(0.9)).toBe(0.2);
    expect(niceStep(0)).toBe(1);
  });
});
