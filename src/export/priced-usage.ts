import type { PriceBook } from '../pricing/price-call.js';
import type { LedgerView, UsageItem } from '../ledger/read-ledger.js';
import { addItem, inRange, type DayRange } from '../report/project-usage.js';
import { UsageTally } from '../report/tally.js';

/** One usage item with its own price: null when its model has no rate (never a silent $0). */
export interface PricedItem {
  item: UsageItem;
  cost: number | null;
}

/**
 * The ledger's usage items in a range, each priced on its own through a UsageTally, exactly as
 * the reports price it (long-context per call): summing these costs in order gives the reports'
 * totals. The rows of `export` and the per-item data of the dashboard both come from here.
 */
export function pricedUsage(view: LedgerView, book: PriceBook, tz: string, range: DayRange = {}): PricedItem[] {
  return view.usage
    .filter((item) => inRange(item, range, tz))
    .map((item) => {
      const tally = new UsageTally(book);
      addItem(tally, item);
      return { item, cost: tally.unpriced.size ? null : tally.cost };
    });
}
