import type { SeriesDocument } from '../infra/series.repository';
import { rollUp } from './series-rollups';

const day = (total: string, hourly: number) => ({ hours: new Array<number>(24).fill(hourly), hourCounts: new Array<number>(24).fill(1), total, recordCount: 24 });
const series = (projectId: string, serviceId: string, days: SeriesDocument['days'], currency = 'USD'): SeriesDocument => ({
  _id: `d1|${projectId}|${serviceId}|${currency}`,
  domainId: 'd1',
  projectId,
  serviceId,
  currency,
  serviceName: serviceId,
  days,
});

describe('rollUp', () => {
  it('sums projects and domains exactly, per currency; a single-member roll-up is marked redundant', () => {
    const all = [
      series('p1', 'vm', { '2026-03-01': day('0.1', 1), '2026-03-02': day('10', 1) }),
      series('p1', 'disk', { '2026-03-01': day('0.2', 2) }),
      series('p2', 'vm', { '2026-03-01': day('5', 3) }),
      series('p3', 'vm', { '2026-03-01': day('7', 3) }, 'KRW'),
    ];
    const rollups = rollUp(all);
    expect(rollups.filter((r) => !r.redundant).map((r) => r._id).sort()).toEqual(['d1|*|*|USD', 'd1|p1|*|USD']);
    expect(rollups.filter((r) => r.redundant).map((r) => r._id).sort()).toEqual(['d1|*|*|KRW', 'd1|p2|*|USD', 'd1|p3|*|KRW']);
    const project = rollups.find((r) => r._id === 'd1|p1|*|USD')!;
    // 0.1 + 0.2 is 0.3 exactly, not 0.30000000000000004.
    expect(project.days['2026-03-01']).toMatchObject({ total: '0.3', recordCount: 48, hours: new Array<number>(24).fill(3) });
    expect(project.days['2026-03-02']?.total).toBe('10');
    expect([...project.children.keys()]).toEqual(['vm', 'disk']);
    const domain = rollups.find((r) => r._id === 'd1|*|*|USD')!;
    expect(domain.days['2026-03-01']?.total).toBe('5.3');
    // Its children are its projects: p1's roll-up and p2's only service.
    expect([...domain.children.entries()].map(([id, child]) => [id, child._id])).toEqual([
      ['p1', 'd1|p1|*|USD'],
      ['p2', 'd1|p2|vm|USD'],
    ]);
  });
});
