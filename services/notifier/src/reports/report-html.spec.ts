import { chartSvg, costChart } from './cost-chart';
import { escapeHtml } from './html-escape';
import { reportHtml } from './report-html';
import { dayCost, reportOf, storedAnomaly } from './report.fixture';

const hostile = `<script>alert("x")</script> & 'co'`;
const links = { png: 'c.png', csv: 'c.csv', anomaliesCsv: 'c-anomalies.csv' };

describe('HTML report', () => {
  const report = reportOf(
    'weekly',
    '2026-09-15',
    [dayCost({ date: '2026-09-15', amount: '1234.5678', domainId: 'd<1>', projectId: 'p"1"', serviceName: hostile }), dayCost({ date: '2026-09-08', amount: '1000', domainId: 'd<1>', projectId: 'p"1"', serviceName: hostile })],
    [storedAnomaly({ start: '2026-09-15T10:00:00.000Z', end: '2026-09-15T11:00:00.000Z', rule: 'z > 3 <img src=x onerror=alert(1)>', series: { domainId: 'd<1>', projectId: 'p"1"', serviceId: 'vm', serviceName: hostile, currency: 'USD' } })],
  );
  const html = reportHtml(report, links, Buffer.from('png'));

  it('escapes every name taken from the data', () => {
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;');
    expect(html).toContain('d&lt;1&gt;');
    expect(html).toContain('p&quot;1&quot;');
    expect(html).toContain('z &gt; 3 &lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows the period, exact totals, the change and the anomaly', () => {
    expect(html).toContain('weekly cost report 2026-09-14 – 2026-09-20');
    expect(html).toContain('compared with 2026-09-07 – 2026-09-13');
    expect(html).toContain('title="1234.5678">1,234.57</td>');
    expect(html).toContain('title="234.5678">+234.57</td>');
    expect(html).toContain('+23.5 %');
    expect(html).toContain('critical: 1 · warning: 0 · info: 0');
    expect(html).toContain('<td title="2026-09-15T10:00:00.000Z – 2026-09-15T11:00:00.000Z">2026-09-15 10:00 – 09-15 11:00 (1 h)</td>');
    expect(html).toContain(`src="data:image/png;base64,${Buffer.from('png').toString('base64')}"`);
    expect(html).toContain('href="c.png"');
  });

  it('escapes names in the chart too', () => {
    const svg = chartSvg(costChart(report));
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });
});
