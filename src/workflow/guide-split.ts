import { picoUsdToUsd, priceTokens } from '../pricing/price-call.js';
import type { UsageItem } from '../ledger/read-ledger.js';
import type { ProjectContext } from './context.js';

/**
 * What the same tokens, kind by kind, would have cost on the guide's model split: the execution
 * model for task work, the planning model for everything else. Measured tokens, real prices.
 */
export function guideSplitCost(
  ctx: ProjectContext,
  forEachItem: (visit: (item: UsageItem) => void) => void,
): { cost: number; execution: string; planning: string } {
  const { execution, planning } = ctx.config.guideModels;
  let pico = 0n; // summed exactly: the same in whatever order the items come
  forEachItem((item) => {
    const model = item.task ? execution : planning;
    const priced = priceTokens(
      { model, tokens: item.tokens, speed: 'standard', longContext: item.longContext },
      ctx.book,
    );
    pico += priced.picoUsd ?? 0n;
  });
  return { cost: picoUsdToUsd(pico), execution, planning };
}
