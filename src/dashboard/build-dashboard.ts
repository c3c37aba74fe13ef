import type { DayRange } from '../report/project-usage.js';
import type { ProjectContext } from '../workflow/context.js';
import { projectSnapshot } from '../workflow/snapshot.js';
import { pageData } from './page-data.js';
import { dashboardHtml } from './page-html.js';

/** The dashboard page for a project and range, from the same snapshot as `cost --json`. */
export function buildDashboard(ctx: ProjectContext, range: DayRange): string {
  const view = projectSnapshot(ctx);
  return dashboardHtml(
    pageData(view, ctx.book, ctx.tz, range, {
      projectDir: ctx.projectDir,
      now: ctx.now(),
      dailyBudget: ctx.config.budgets.daily,
    }),
  );
}
