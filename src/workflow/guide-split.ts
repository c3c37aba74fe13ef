import { priceTokens } from '../pricing/price-call.js';
import type { ProjectUsage } from '../report/project-usage.js';
import type { ProjectContext } from './context.js';

/**
 * What the same tokens, kind by kind, would have cost on the guide's model split: the execution
 * model for task work, the planning model for everything else. Measured tokens, real prices.
 */
export function guideSplitCost(
  ctx: ProjectContext,
  usage: ProjectUsage,
): { cost: number; execution: string; planning: string } {
  const { execution, planning } = ctx.config.guideModels;
  let cost = 0;
  for (const item of usage.items) {
    const model = item.task ? execution : planning;
    const priced = priceTokens(
      { model, tokens: item.tokens, speed: 'standard', longContext: item.longContext },
      ctx.book,
    );
    cost += priced.cost ?? 0;
  }
  return { cost, execution, planning };
}
