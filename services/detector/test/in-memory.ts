import pino from 'pino';
import { Registry } from 'prom-client';
import type { DailyTotal, HourlySnapshot } from '@costwatch/contracts';
import type { BaselineStats } from '@costwatch/detection';
import { DetectorMetrics } from '../src/application/detector-metrics';
import { JudgeDailyTotalsUseCase } from '../src/application/judge-daily-totals.use-case';
import { JudgeSnapshotsUseCase } from '../src/application/judge-snapshots.use-case';
import type { AnomalyEventsPort, AnomalyNotice, AnomalyRecord, AnomalyStore, BaselineLookup, BaselineSource, DailySettings, JudgedBaseline, SeriesState, SeriesStateStore } from '../src/application/ports';
import { RuleBook, type RuleSettings } from '../src/domain/detection-rules';

/** Baselines by (asOf, series); `open` days make a missing baseline "not-yet" instead of "none". */
export class InMemoryBaselines implements BaselineSource {
  readonly baselines = new Map<string, BaselineStats>();
  /** Daily-total baselines by (asOf, series), with their share of days with a cost. */
  readonly dailyBaselines = new Map<string, JudgedBaseline>();
  readonly openDays = new Set<string>();

  lookup(asOf: string, seriesId: string): Promise<BaselineLookup> {
    const baseline = this.baselines.get(`${asOf}|${seriesId}`);
    if (baseline) return Promise.resolve({ status: 'found', baseline: { stats: baseline, activeFraction: 1, active: null } });
    const previous = new Date(Date.parse(`${asOf}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    return Promise.resolve(this.openDays.has(previous) ? { status: 'not-yet' } : { status: 'none' });
  }

  daily(asOf: string, seriesId: string): Promise<JudgedBaseline | null> {
    return Promise.resolve(this.dailyBaselines.get(`${asOf}|${seriesId}`) ?? null);
  }
}

export class InMemoryStates implements SeriesStateStore {
  readonly docs = new Map<string, SeriesState>();
  /** How many series states were written, over all saves. */
  writes = 0;
  load(ids: readonly string[]): Promise<Map<string, SeriesState>> {
    const found = ids.flatMap((id) => {
      const doc = this.docs.get(id);
      return doc ? [[id, structuredClone(doc)] as const] : [];
    });
    return Promise.resolve(new Map(found));
  }
  loadPending(): Promise<SeriesState[]> {
    return Promise.resolve([...this.docs.values()].filter((s) => s.pending.length > 0).map((s) => structuredClone(s)));
  }
  save(states: readonly SeriesState[]): Promise<void> {
    for (const s of states) this.docs.set(s._id, structuredClone(s));
    this.writes += states.length;
    return Promise.resolve();
  }
}

export class InMemoryAnomalies implements AnomalyStore {
  readonly docs = new Map<string, AnomalyRecord>();
  save(records: readonly AnomalyRecord[]): Promise<void> {
    for (const r of records) this.docs.set(r.anomaly.anomalyId, structuredClone(r));
    return Promise.resolve();
  }
}

export class InMemoryEvents implements AnomalyEventsPort {
  readonly published: AnomalyNotice[] = [];
  failNext = false;
  publish(notices: readonly AnomalyNotice[]): Promise<void> {
    if (this.failNext && notices.length > 0) {
      this.failNext = false;
      return Promise.reject(new Error('broker down'));
    }
    this.published.push(...notices);
    return Promise.resolve();
  }
}

/** The in-memory ports every use case of the detector is built from. */
function fakes() {
  const registry = new Registry();
  return { baselines: new InMemoryBaselines(), states: new InMemoryStates(), anomalies: new InMemoryAnomalies(), events: new InMemoryEvents(), registry, metrics: new DetectorMetrics(registry), logger: pino({ level: 'silent' }) };
}

const DAILY: DailySettings = { enabled: true, minHistoryDays: 7, dropMin: 1, resolveAfterDays: 1, updateGrowth: 0.5, horizonDays: 35, minRelDelta: 0.1 };

export function detectorUnderTest(rule: RuleSettings = {}, rolling = false) {
  const f = fakes();
  const create = () => new JudgeSnapshotsUseCase(f.baselines, f.states, f.anomalies, f.events, new RuleBook(rule), { rolling, resolveAfterHours: 2, updateGrowth: 0.5, restatementHorizonDays: 7 }, DAILY, f.metrics, f.logger);
  return { ...f, useCase: create(), restart: create };
}

export function dailyUnderTest(rule: RuleSettings = {}, settings: Partial<DailySettings> = {}) {
  const f = fakes();
  const daily: DailySettings = { ...DAILY, ...settings };
  const create = () => new JudgeDailyTotalsUseCase(f.baselines, f.states, f.anomalies, f.events, new RuleBook(rule), daily, f.metrics, f.logger);
  return { ...f, useCase: create(), restart: create };
}

export function dailyTotal(date: string, amount: string, revision = 1, patch: Partial<DailyTotal> = {}): DailyTotal {
  return { date, domainId: 'd1', projectId: 'p1', serviceId: 'compute', serviceName: 'Virtual Machine', currency: 'USD', amount, recordCount: amount === '0' ? 0 : 24, revision, ...patch };
}

export function snapshot(date: string, hour: number, amount: string, revision = 1, patch: Partial<HourlySnapshot> = {}): HourlySnapshot {
  return { date, hour, domainId: 'd1', projectId: 'p1', serviceId: 'compute', serviceName: 'Virtual Machine', currency: 'USD', amount, recordCount: 1, revision, ...patch };
}
