import { sumAmounts } from '@costwatch/contracts';
import type { SeriesDay, SeriesDocument } from '../infra/series.repository';
import { seriesId } from './rollup-keys';

/** The id part that stands for "every project" or "every service" of a roll-up series. */
export const ALL = '*';

export type RollupLevel = 'project' | 'domain';

/** A roll-up series: a project's or a domain's total, with the series it is the sum of. */
export interface RollupSeries extends SeriesDocument {
  level: RollupLevel;
  /** The ids (service ids of a project, project ids of a domain) of the series it sums. */
  children: Map<string, SeriesDocument>;
  /**
   * A single-member roll-up says nothing its member does not: it is not judged, only kept as
   * a baseline, so that a new series in a known project or domain can be told from the first
   * collection of a whole history.
   */
  redundant: boolean;
}

export const isRollup = (series: Pick<SeriesDocument, 'projectId' | 'serviceId'>): boolean => series.serviceId === ALL;

function sumDays(members: readonly SeriesDocument[]): Record<string, SeriesDay> {
  const days: Record<string, SeriesDay> = {};
  const dates = new Set(members.flatMap((m) => Object.keys(m.days)));
  for (const date of dates) {
    const present = members.flatMap((m) => (m.days[date] ? [m.days[date]] : []));
    const hours = new Array<number>(24).fill(0);
    const hourCounts = new Array<number>(24).fill(0);
    for (const day of present) {
      for (let h = 0; h < 24; h += 1) {
        hours[h] = (hours[h] ?? 0) + (day.hours[h] ?? 0);
        hourCounts[h] = (hourCounts[h] ?? 0) + (day.hourCounts[h] ?? 0);
      }
    }
    days[date] = { hours, hourCounts, total: sumAmounts(present.map((d) => d.total)), recordCount: present.reduce((n, d) => n + d.recordCount, 0) };
  }
  return days;
}

function rollup(level: RollupLevel, members: readonly [SeriesDocument, ...SeriesDocument[]], childId: (s: SeriesDocument) => string): RollupSeries {
  const first = members[0];
  const identity = { domainId: first.domainId, projectId: level === 'project' ? first.projectId : ALL, serviceId: ALL, currency: first.currency };
  return {
    _id: seriesId(identity),
    ...identity,
    serviceName: level === 'project' ? `project ${first.projectId}` : `domain ${first.domainId}`,
    days: sumDays(members),
    level,
    children: new Map(members.map((m) => [childId(m), m])),
    redundant: members.length === 1,
  };
}

/** Groups in first-seen order; every group has at least one item. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Array<[T, ...T[]]> {
  const groups = new Map<string, [T, ...T[]]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return [...groups.values()];
}

/**
 * The project and domain totals of a set of series, per currency, as series of their own:
 * each day's hours and exact total summed over the members. A project with a single service,
 * or a domain with a single project, is `redundant`.
 */
export function rollUp(series: readonly SeriesDocument[]): RollupSeries[] {
  const leaves = series.filter((s) => !isRollup(s));
  const projects = groupBy(leaves, (s) => `${s.domainId}|${s.projectId}|${s.currency}`).map((members) => ({
    members,
    rollup: rollup('project', members, (m) => m.serviceId),
  }));
  // A domain's children are its projects: a single-service project stands for itself.
  const standIn = (p: (typeof projects)[number]): SeriesDocument => (p.members.length === 1 ? p.members[0] : p.rollup);
  const domains = groupBy(projects, (p) => `${p.rollup.domainId}|${p.rollup.currency}`).map(
    ([first, ...rest]) => rollup('domain', [standIn(first), ...rest.map(standIn)], (m) => m.projectId),
  );
  return [...projects.map((p) => p.rollup), ...domains];
}
