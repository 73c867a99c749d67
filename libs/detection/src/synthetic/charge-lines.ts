import type { SeededRandom } from '../random/seeded-random';
import type { UsageDraft } from './anomaly-injection';
import type { ParameterDraw } from './series-shape';
import type { ChargeLine, InjectedAnomaly, SeriesArchetype, Seasonality } from './synthetic-billing.types';

/** Any cost line while the generator builds it: a usage series or a calendar charge. */
export interface LineDraft {
  readonly domain: string;
  readonly project: string;
  readonly service: string;
  readonly serviceName: string;
  readonly line: ChargeLine;
  readonly archetype: SeriesArchetype;
  readonly seasonality: Seasonality;
  readonly firstHour: number;
  readonly normal: Float64Array;
  readonly values: Float64Array;
  readonly anomalies: readonly InjectedAnomaly[];
}

interface ChargeContext {
  readonly random: SeededRandom;
  readonly draw: ParameterDraw;
  readonly timestamps: Float64Array;
}

/**
 * Charges that follow the calendar, not usage — normal, and each a look-alike of an anomaly:
 * - month-start purchases (reserved capacity) of about 30% of always-on services, half of
 *   them billed on the service's own line (a monthly spike in its series), half on a
 *   `-reserved` line of their own;
 * - a mid-month purchase (marketplace subscription) in about 30% of projects;
 * - a daily credit (negative) against one service in about 40% of projects;
 * - a daily tax line on the previous day's usage in about half of the projects.
 * Folded purchases are added to the usage drafts in place; the other charges are returned.
 */
export function addChargeLines(drafts: readonly UsageDraft[], projects: ReadonlyArray<{ domain: string; project: string }>, context: ChargeContext): LineDraft[] {
  const { random, draw, timestamps } = context;
  const lines: LineDraft[] = [];
  const hours = timestamps.length;
  const usage = drafts.filter((d) => d.shape.archetype === 'always-on' && d.firstHour === 0 && d.anomalies.every((a) => a.kind !== 'new-expensive-service'));
  for (const draft of usage) {
    if (!random.chance(0.3)) continue;
    const amount = draft.shape.base * 24 * draw.value('purchaseDays');
    const purchase = monthly(timestamps, random, 1, 0, amount);
    if (random.chance(0.5)) {
      for (const [h, value] of purchase) {
        draft.normal[h] = (draft.normal[h] as number) + value;
        draft.values[h] = (draft.values[h] as number) + value;
      }
    } else {
      lines.push(chargeLine(draft, `${draft.service}-reserved`, `${draft.serviceName} (reserved)`, 'purchase', hours, purchase));
    }
  }
  for (const owner of projects) {
    const inProject = drafts.filter((d) => d.project === owner.project);
    if (random.chance(0.3)) {
      const day = random.integer(10, 20);
      const hour = random.integer(0, 23);
      const purchase = monthly(timestamps, random, day, hour, draw.value('baseCost') * 24 * draw.value('purchaseDays'));
      lines.push(chargeLine({ ...owner, firstHour: 0 }, 'marketplace', 'Marketplace Subscription', 'purchase', hours, purchase, purchase[0]?.[0] ?? 0));
    }
    const covered = inProject.filter((d) => usage.includes(d));
    if (covered.length > 0 && random.chance(0.4)) {
      const target = random.pick(covered);
      const share = draw.value('creditShare');
      lines.push(chargeLine(target, `${target.service}-credit`, `${target.serviceName} (credit)`, 'credit', hours, daily(hours, [target], -share), 24));
    }
    if (random.chance(0.5)) {
      const rate = draw.value('taxRate');
      lines.push(chargeLine({ ...owner, firstHour: 0 }, 'tax', 'Tax', 'tax', hours, daily(hours, inProject, rate), 24));
    }
  }
  return lines;
}

/** A charge on `day` of every month at `hour`, the amount drifting ±3% month to month. */
function monthly(timestamps: Float64Array, random: SeededRandom, day: number, hour: number, amount: number): Array<[number, number]> {
  const charges: Array<[number, number]> = [];
  for (let h = 0; h < timestamps.length; h++) {
    const date = new Date(timestamps[h] as number);
    if (date.getUTCDate() === day && date.getUTCHours() === hour) charges.push([h, amount * random.uniform(0.97, 1.03)]);
  }
  return charges;
}

/** At 00:00 of each day from the second: `rate` × the previous day's cost of `sources`. */
function daily(hours: number, sources: readonly UsageDraft[], rate: number): Array<[number, number]> {
  const charges: Array<[number, number]> = [];
  for (let h = 24; h < hours; h += 24) {
    let total = 0;
    for (const source of sources) for (let k = h - 24; k < h; k++) total += source.values[k] as number;
    if (total !== 0) charges.push([h, rate * total]);
  }
  return charges;
}

function chargeLine(
  owner: { domain: string; project: string; firstHour: number },
  service: string,
  serviceName: string,
  line: ChargeLine,
  hours: number,
  charges: ReadonlyArray<readonly [number, number]>,
  firstHour = owner.firstHour,
): LineDraft {
  const values = new Float64Array(hours);
  for (const [h, value] of charges) values[h] = value;
  return { domain: owner.domain, project: owner.project, service, serviceName, line, archetype: 'always-on', seasonality: 'none', firstHour, normal: Float64Array.from(values), values, anomalies: [] };
}
