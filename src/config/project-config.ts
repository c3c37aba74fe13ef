import * as z from 'zod/mini';
import '../store/zod-english.js';
import { projectPaths } from '../project/paths.js';
import { readFileIfExists } from '../store/fs-utils.js';

/**
 * The project's spec-session config, `.claude/spec-session/config.json` (committed, optional).
 * Budgets default to the guide's: $5 a day, $25 a week, $100 a month.
 */
const positive = () => z.number().check(z.positive());
export const ProjectConfigSchema = z.object({
  budgets: z.prefault(
    z.object({
      daily: z._default(z.nullable(positive()), 5),
      weekly: z._default(z.nullable(positive()), 25),
      monthly: z._default(z.nullable(positive()), 100),
      perTask: z._default(z.nullable(positive()), null),
    }),
    {},
  ),
  /** IANA zone for days, weeks and months; default: the system's. */
  timeZone: z._default(z.nullable(z.string()), null),
  /** Which price table figures use: Anthropic's list prices, or Claude Code's own table. */
  prices: z._default(z.enum(['anthropic', 'claude-code']), 'anthropic'),
  /** The guide's model split, used to show what the same tokens would cost on it. */
  guideModels: z.prefault(
    z.object({
      execution: z._default(z.string(), 'claude-haiku-4-5'),
      planning: z._default(z.string(), 'claude-sonnet-4-6'),
    }),
    {},
  ),
  /** Model that /log-task prices with when none is given and the session has none. */
  defaultModel: z._default(z.string(), 'claude-sonnet-4-6'),
});
export type ProjectConfig = z.infer<typeof ProjectConfigSchema>;

export function loadProjectConfig(projectDir: string): ProjectConfig {
  const file = projectPaths(projectDir).config;
  let raw: unknown = {};
  const text = readFileIfExists(file)?.toString('utf8');
  if (text !== undefined) {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  const parsed = ProjectConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

export const DEFAULT_CONFIG_TEXT = `${JSON.stringify({ budgets: { daily: 5, weekly: 25, monthly: 100, perTask: null }, timeZone: null, prices: 'anthropic' }, null, 2)}\n`;
