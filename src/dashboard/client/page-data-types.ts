/**
 * What the dashboard page embeds: sums, not calls, so its size is bounded by days × tasks ×
 * models, not by the number of API calls. Names are indexes into `names`; times are minutes after
 * `baseMinute`; costs are pico-USD (integers, summed exactly as BigInt, as the reports do).
 */
export interface DashboardData {
  project: string;
  generatedAt: number;
  today: string;
  timeZone: string;
  priceTable: string;
  priceLabel: string;
  since: string | null;
  until: string | null;
  dailyBudget: number | null;
  /** One line when ledger lines were left out (see report/skipped-note.ts); null when none. */
  skipped: string | null;
  names: string[];
  days: string[];
  /** Models (name indexes) in the order of the bits of a row's model mask. */
  models: number[];
  /** Models without a price (name indexes): their usage counts tokens but no cost. */
  unpriced: number[];
  baseMinute: number;
  /** Usage per day, work session, spec, task and (outside a work session) Claude session. */
  rows: PageRow[];
  /** Usage per day, spec and model, with the token kinds: the daily chart and the kinds. */
  daily: DailyRow[];
  /** Work sessions: [name, spec, start minute, end minute or -1 while open, Claude sessions]. */
  sessions: Array<[number, number, number, number, number]>;
}

/**
 * [day, ws, spec, task, cs, tokens, calls, pico-USD, model mask, flags, first minute, last minute, planning phase, branch];
 * -1 for none. Flags: DONE (the task is done), MANUAL (some of the tokens were logged by hand).
 */
export type PageRow = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/** [day, spec, model, input, output, cache write 5m, cache write 1h, cache read, calls, pico-USD]. */
export type DailyRow = [number, number, number, number, number, number, number, number, number, number];

export const ROW = {
  day: 0,
  ws: 1,
  spec: 2,
  task: 3,
  cs: 4,
  tokens: 5,
  calls: 6,
  pico: 7,
  models: 8,
  flags: 9,
  first: 10,
  last: 11,
  phase: 12,
  branch: 13,
} as const;
/** Bits of a row's flags. */
export const DONE = 1;
export const MANUAL = 2;
export const DAILY = { day: 0, spec: 1, model: 2, in: 3, out: 4, cw5: 5, cw1h: 6, cr: 7, calls: 8, pico: 9 } as const;
