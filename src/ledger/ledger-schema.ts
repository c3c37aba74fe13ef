import { z } from 'zod';

/** Ledger lines as read back (the boundary where files from teammates and old versions come in). */
const name = z.string().nullable().default(null);
const tokens = { in: z.number().nonnegative(), out: z.number().nonnegative(), cw5: z.number().nonnegative(), cw1h: z.number().nonnegative(), cr: z.number().nonnegative() };
const attribution = { ws: name, spec: name, task: name };

export const LedgerLineSchema = z.discriminatedUnion('k', [
  z.looseObject({ k: z.literal('call'), msg: z.string(), req: z.string().nullable().default(null), t: z.string(), cs: z.string(), model: z.string(), agent: z.string().optional(), fast: z.boolean().optional(), ...tokens, ...attribution }),
  z.looseObject({ k: z.literal('gap'), id: z.string(), t: z.string(), cs: z.string(), model: z.string(), ...tokens, ...attribution }),
  z.looseObject({ k: z.literal('bind'), t: z.string(), cs: z.string(), why: z.string().default(''), ...attribution }),
  z.looseObject({ k: z.literal('session'), t: z.string(), ws: z.string(), spec: z.string(), event: z.enum(['start', 'end']), cs: name }),
  z.looseObject({ k: z.literal('task'), t: z.string(), ws: name, spec: z.string(), task: z.string(), event: z.enum(['start', 'done']), cs: name, source: z.string().default('') }),
  z.looseObject({ k: z.literal('manual'), id: z.string(), t: z.string(), ws: name, spec: z.string(), task: z.string(), status: z.string(), model: z.string(), ...tokens }),
]);
export type LedgerLine = z.infer<typeof LedgerLineSchema>;
