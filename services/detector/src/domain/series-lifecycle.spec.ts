import { advanceLifecycle, anomalyWindow, type JudgedHour, type LifecycleSettings, type OpenAnomaly } from './series-lifecycle';

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 10, 0);
const settings: LifecycleSettings = { resolveAfterHours: 2, updateGrowth: 0.5 };
const idFor = (rule: string, startMs: number) => `${rule}@${startMs}`;

function hour(h: number, observed: number | null, severity: JudgedHour['severity'] = 'warning'): JudgedHour {
  const anomalous = observed !== null;
  const value = observed ?? 10;
  return {
    hourMs: T0 + h * H,
    anomalous,
    severity: anomalous ? severity : null,
    observed: String(value),
    observedValue: value,
    expected: 10,
    z: (value - 10) / 2,
    ratio: value / 10,
    rule: 'seed: z > 3 OR ratio > 2',
    baseline: { fromMs: T0 - 30 * 24 * H, toMs: T0, count: 720 },
  };
}

/** Runs hours through the lifecycle; returns the notices as `state/reason@hour` and the final open anomaly. */
function run(hours: JudgedHour[], open: OpenAnomaly | null = null): { notices: string[]; open: OpenAnomaly | null } {
  const notices: string[] = [];
  for (const h of hours) {
    const step = advanceLifecycle(open, h, settings, idFor);
    open = step.open;
    if (step.notice) notices.push(`${step.notice.state}/${step.notice.reason}@${(h.hourMs - T0) / H}`);
  }
  return { notices, open };
}

describe('series anomaly lifecycle', () => {
  it('stays silent on normal hours', () => {
    expect(run([hour(0, null), hour(1, null)])).toEqual({ notices: [], open: null });
  });

  it('fires on the first anomalous hour, stays quiet while it lasts, resolves after 2 normal hours', () => {
    const { notices, open } = run([hour(0, null), hour(1, 40), hour(2, 42), hour(3, null), hour(4, null), hour(5, null)]);
    expect(notices).toEqual(['firing/opened@1', 'resolved/resolved@4']);
    expect(open).toBeNull();
  });

  it('a normal hour between anomalous ones does not resolve; the streak restarts', () => {
    const { notices, open } = run([hour(1, 40), hour(2, null), hour(3, 41), hour(4, null)]);
    expect(notices).toEqual(['firing/opened@1']);
    expect(open?.normalHours).toBe(1);
    expect(anomalyWindow(open!)).toEqual({ startMs: T0 + H, endMs: T0 + 4 * H });
  });

  it('re-announces on severity escalation (not on a fall) and when the worst hour grows by 50%', () => {
    const { notices, open } = run([hour(1, 40, 'warning'), hour(2, 50, 'info'), hour(3, 55, 'critical'), hour(4, 70, 'critical'), hour(5, 90, 'critical')]);
    expect(notices).toEqual(['firing/opened@1', 'firing/escalated@3', 'firing/grew@5']);
    expect(open?.version).toBe(3);
    expect(open?.severity).toBe('critical');
    expect(open?.peak.observed).toBe('90');
  });

  it('keeps one deterministic id from the window start and versions every notice', () => {
    let open: OpenAnomaly | null = null;
    const versions: number[] = [];
    for (const h of [hour(7, 40), hour(8, null), hour(9, null)]) {
      const step = advanceLifecycle(open, h, settings, idFor);
      open = step.open;
      if (step.notice) {
        expect(step.notice.anomaly.anomalyId).toBe(`seed: z > 3 OR ratio > 2@${T0 + 7 * H}`);
        versions.push(step.notice.anomaly.version);
      }
    }
    expect(versions).toEqual([1, 2]);
  });

  it('out-of-order hours: an earlier normal hour never counts towards resolution, an earlier anomalous one feeds the peak', () => {
    const opened = run([hour(5, 40)]).open;
    const { notices, open } = run([hour(3, null), hour(4, null), hour(2, 80, 'critical')], opened);
    expect(notices).toEqual(['firing/escalated@2']);
    expect(open?.windowStartMs).toBe(T0 + 5 * H);
    expect(open?.normalHours).toBe(0);
    expect(open?.peak.observed).toBe('80');
  });

  it('the same normal hour judged twice (restated) counts once', () => {
    const opened = run([hour(1, 40)]).open;
    const { notices, open } = run([hour(2, null), hour(2, null)], opened);
    expect(notices).toEqual([]);
    expect(open?.normalHours).toBe(1);
  });

  it('a new anomaly after resolution gets a new id', () => {
    const first = advanceLifecycle(null, hour(1, 40), settings, idFor);
    const { open } = run([hour(2, null), hour(3, null), hour(6, 40)], first.open);
    expect(open?.anomalyId).not.toBe(first.open?.anomalyId);
    expect(open?.windowStartMs).toBe(T0 + 6 * H);
  });
});
