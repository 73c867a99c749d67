import { SyntheticBilling, type SyntheticOptions } from '@costwatch/synthetic';
import type { BillingSource, CollectionWindow, SourceBatch } from '../../domain/billing-source';

/**
 * The embedded default source: a seeded billing history (see @costwatch/synthetic). A
 * window yields the records that "arrive" during it — each hour's usage plus any late
 * restatements due then — so collecting hour by hour replays the history as it happened.
 */
export class SyntheticSource implements BillingSource {
  readonly name = 'synthetic' as const;
  readonly billing: SyntheticBilling;

  constructor(options: Partial<SyntheticOptions>) {
    this.billing = new SyntheticBilling(options);
  }

  async *collect(window: CollectionWindow): AsyncIterable<SourceBatch> {
    const from = window.from.getTime();
    const to = window.to.getTime();
    for (const { hourStart, records } of this.billing.hours()) {
      const at = hourStart.getTime();
      if (at >= to) return;
      if (at < from) continue;
      yield { records, rejected: [] };
      // Let the event loop breathe between hours of a long backfill.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}
