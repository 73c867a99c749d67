import type { Db, Filter } from 'mongodb';
import pLimit from 'p-limit';
import type { Anomaly } from '@costwatch/contracts';
import { Collections } from '@costwatch/mongo';
import { addDays, type ReportPeriod } from './report-period';

/** Which part of the bill a report covers; unset fields cover everything. */
export interface ReportScope {
  domainId?: string;
  projectId?: string;
}

/** One series on one day, as the aggregator keeps it in billing_daily (the fields a report reads). */
export interface DayCost {
  date: string;
  domainId: string;
  projectId: string;
  serviceId: string;
  serviceName: string;
  currency: string;
  /** Exact decimal total of the day. */
  amount: string;
  /** The 24 exact hourly sums (UTC hours). */
  hours: string[];
}

/** An anomaly as the detector keeps it in billing_anomalies: the contract's fields, `_id` = anomalyId. */
export type StoredAnomaly = Omit<Anomaly, 'anomalyId'> & { _id: string };

/** billing_days: the aggregator's day ledger (closed = totals final, baselines built). */
interface DayLedgerDocument {
  _id: string;
  closed: boolean;
}

const DAY_COST_FIELDS = { _id: 0, date: 1, domainId: 1, projectId: 1, serviceId: 1, serviceName: 1, currency: 1, amount: 1, hours: 1 } as const;
const LOOKUP_CONCURRENCY = 8;
/** Anomaly windows are looked up this far before the period, so one that began earlier and overlaps is included. */
const ANOMALY_LOOKBACK_DAYS = 31;

/**
 * Read-only access to the rollups and anomalies other services write. Days are read one
 * `date` at a time, which the aggregator's `date` index on billing_daily serves on MongoDB
 * and FerretDB alike; each day document's record map is never transferred.
 */
export class ReportDataRepository {
  constructor(private readonly db: Db) {}

  async dayCosts(days: readonly string[], scope: ReportScope): Promise<DayCost[]> {
    const daily = this.db.collection<DayCost>(Collections.daily);
    const limit = pLimit(LOOKUP_CONCURRENCY);
    const perDay = await Promise.all(
      days.map((date) =>
        limit(() => {
          const filter: Filter<DayCost> = { date, ...(scope.domainId ? { domainId: scope.domainId } : {}), ...(scope.projectId ? { projectId: scope.projectId } : {}) };
          return daily.find(filter, { projection: DAY_COST_FIELDS }).toArray();
        }),
      ),
    );
    return perDay.flat().map((d) => ({ ...d, hours: Array.isArray(d.hours) ? d.hours : [] }));
  }

  /** Anomalies whose window overlaps the period, oldest first. */
  async anomalies(period: ReportPeriod, scope: ReportScope): Promise<StoredAnomaly[]> {
    const startMs = Date.parse(`${period.start}T00:00:00Z`);
    const endMs = Date.parse(`${period.end}T00:00:00Z`);
    const filter: Filter<StoredAnomaly> = {
      windowStart: { $gte: `${addDays(period.start, -ANOMALY_LOOKBACK_DAYS)}T00:00:00`, $lt: `${addDays(period.end, 1)}T00:00:00` },
      ...(scope.domainId ? { 'series.domainId': scope.domainId } : {}),
      ...(scope.projectId ? { 'series.projectId': scope.projectId } : {}),
    };
    const found = await this.db.collection<StoredAnomaly>(Collections.anomalies).find(filter).toArray();
    return found
      .filter((a) => Date.parse(a.window.start) < endMs && Date.parse(a.window.end) > startMs)
      .sort((a, b) => Date.parse(a.window.start) - Date.parse(b.window.start) || a._id.localeCompare(b._id));
  }

  /** The aggregator's ledger for `days`: day → closed; days it never saw are absent. */
  async dayLedger(days: readonly string[]): Promise<Map<string, boolean>> {
    const [first, last] = [days[0], days[days.length - 1]];
    if (first === undefined || last === undefined) return new Map();
    const ledger = this.db.collection<DayLedgerDocument>(Collections.days);
    const found = await ledger.find({ _id: { $gte: first, $lte: last } }).toArray();
    return new Map(found.map((d) => [d._id, d.closed === true]));
  }
}
