import type { PriceBook } from '../pricing/price-call.js';
import type { LedgerView, UsageItem } from '../ledger/read-ledger.js';
import { addItem, type DayRange } from '../report/project-usage.js';
import { UsageTally } from '../report/tally.js';

/** One usage item with its own price: null when its model has no rate (never a silent $0). */
export interface PricedItem {
  item: UsageItem;
  cost: number | null;
}

/**
 * The ledger's usage items in a range, in time order, each priced on its own through a UsageTally,
 * exactly as the reports price it (long-context per call): summing these costs in order gives the
 * reports' totals. Handed over a batch (a month) at a time, none kept: the rows of `export`.
 */
export function* pricedUsage(
  view: LedgerView,
  book: PriceBook,
  tz: string,
  range: DayRange = {},
): Generator<PricedItem> {
  for (const batch of view.usageBatches(range, tz))
    for (const item of batch) {
      const tally = new UsageTally(book);
      addItem(tally, item);
      yield { item, cost: tally.unpriced.size ? null : tally.cost };
    }
}
