import { chartSvg, costChart } from './cost-chart';
import type { CostReport } from './cost-report';
import { HOSTILE_NAMES } from './hostile-names.fixture';
import { renderPng } from './png-renderer';
import { reportHtml } from './report-html';
import { dayCost, reportOf, storedAnomaly } from './report.fixture';

const links = { png: 'c.png', csv: 'c.csv', anomaliesCsv: 'c-anomalies.csv' };

/** A report whose domain, project, service names and anomaly rules are `name(i)`. */
function reportNamed(name: (i: number) => string): CostReport {
  const rows = HOSTILE_NAMES.flatMap((_, i) =>
    ['2026-09-15', '2026-09-08'].map((date) => dayCost({ date, amount: `${100 + i}.5`, domainId: name(i), projectId: name(i), serviceId: `svc-${i}`, serviceName: name(i) })),
  );
  const anomalies = HOSTILE_NAMES.map((_, i) =>
    storedAnomaly({ start: '2026-09-15T10:00:00.000Z', end: '2026-09-16T11:00:00.000Z', _id: `a${i}`, rule: name(i), series: { domainId: name(i), projectId: name(i), serviceId: `svc-${i}`, serviceName: name(i), currency: 'USD' } }),
  );
  return reportOf('weekly', '2026-09-15', rows, anomalies);
}

/** How often each character that makes markup (a tag, an attribute, an entity) occurs. */
const markup = (text: string): Record<string, number> => Object.fromEntries(['<', '>', '"', "'", '='].map((c) => [c, text.split(c).length - 1]));

describe('HTML report and chart with hostile names', () => {
  const hostile = reportNamed((i) => HOSTILE_NAMES[i] ?? '');
  const benign = reportNamed((i) => `name${i}`);

  it('has exactly the markup of the same report with plain names: nothing a name holds becomes a tag or an attribute', () => {
    const page = reportHtml(hostile, links, Buffer.from('png'));
    const plain = reportHtml(benign, links, Buffer.from('png'));
    // Names may only add '=' as text (escaped '<', '>', '"' and "'" carry no '=' of their own).
    const { '=': _ignored, ...counts } = markup(page);
    const { '=': _plainIgnored, ...plainCounts } = markup(plain);
    expect(counts).toEqual(plainCounts);
    expect(page).not.toMatch(/<script|<img src=x|<svg onload|<iframe/i);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&amp;lt;already escaped&amp;gt; &amp;amp;');
  });

  it('shows control characters as U+FFFD', () => {
    const page = reportHtml(hostile, links, Buffer.from('png'));
    expect(page).toContain('bell\uFFFD escape\uFFFD[31m nul\uFFFD');
    // eslint-disable-next-line no-control-regex
    expect(page).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it('draws the chart: names are text in the SVG, and a control character no longer fails the PNG', async () => {
    const svg = chartSvg(costChart(hostile));
    const plain = chartSvg(costChart(benign));
    expect(markup(svg)['<']).toBe(markup(plain)['<']);
    expect(markup(svg)['"']).toBe(markup(plain)['"']);
    const png = await renderPng(svg);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
