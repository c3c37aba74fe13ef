import fs from 'node:fs';
import path from 'node:path';
import { PlayedSession, type DemoWorld, type ToolStep } from './claude-player.js';
import { doneEdit } from './demo-project.js';

/** The guide's execution model: Haiku implements from the spec. */
const HAIKU = 'claude-haiku-4-5-20251001';

/**
 * The guide's "Full day", compressed into a few seconds: two Claude sessions on
 * invoice-management (tasks 1.1–1.2, then 1.3–1.5 with a subagent and a /compact), then a third on
 * patient-search that logs work done outside Claude Code and closes the day with /cost and /eod.
 */
export function playDay(world: DemoWorld): void {
  const { story } = world;
  const file = fileTools(world.projectDir);

  story.heading("Morning (the guide's 10:00) · Claude session 1: claude --model haiku");
  const morning = new PlayedSession(world, HAIKU);
  morning.start();
  morning.type('/start-session inv-1000 spec invoice-management');
  doTask(
    world,
    morning,
    '1.1',
    () => {
      morning.useTool(file.read('.spec-workflow/specs/invoice-management/design.md'), "I'll read the design first.");
      morning.useTool(file.write('src/invoice/model.ts', MODEL_TS));
    },
    'Created src/invoice/model.ts: Invoice and LineItem types and validateInvoice (amounts in integer cents).',
  );
  doTask(
    world,
    morning,
    '1.2',
    () => {
      morning.useTool(file.write('src/invoice/totals.ts', TOTALS_TS), 'Adding calculateTotals with per-line tax.');
    },
    'Added calculateTotals in src/invoice/totals.ts; tax is rounded half up once per line.',
  );
  morning.type('/session-status');
  morning.end();

  story.heading("Afternoon (the guide's 13:00) · Claude session 2");
  const afternoon = new PlayedSession(world, HAIKU);
  afternoon.start();
  afternoon.type('/start-session inv-1300 spec invoice-management');
  doTask(
    world,
    afternoon,
    '1.3',
    () => {
      afternoon.useTool(file.write('src/invoice/numbering.ts', NUMBERING_TS));
      afternoon.useTool(
        file.bash(
          'npx vitest run src/invoice',
          'Run the invoice tests',
          ' ✓ src/invoice/numbering.test.ts (4 tests)\n Test Files  1 passed (1)',
        ),
      );
    },
    'Added nextInvoiceNumber (INV-YYYY-NNNN) backed by a per-year counter row; 4 tests pass.',
  );
  doTask(
    world,
    afternoon,
    '1.4',
    () => {
      afternoon.delegate(
        'Explore',
        'Find the PDF helpers',
        'Find how src/pdf renders documents and what invoice-pdf needs to reuse.',
        [file.grep('renderPdf', 'src'), file.read('src/pdf/render.ts')],
        'src/pdf/render.ts exports renderPdf(lines: string[]): Uint8Array; nothing else renders PDFs.',
      );
      afternoon.useTool(file.write('src/invoice/pdf.ts', PDF_TS), 'renderPdf is the helper to reuse.');
    },
    'Added invoicePdf in src/invoice/pdf.ts, reusing renderPdf.',
  );
  doTask(
    world,
    afternoon,
    '1.5',
    () => {
      afternoon.useTool(file.write('src/api/invoices.ts', API_TS));
      afternoon.useTool(
        file.bash(
          'npx vitest run src/api',
          'Run the API tests',
          ' ✓ src/api/invoices.test.ts (6 tests)\n Test Files  1 passed (1)',
        ),
      );
    },
    'Added POST /api/invoices and GET /api/invoices/:id; 6 endpoint tests pass.',
  );
  afternoon.compact(
    'Implemented invoice-management tasks 1.3–1.5 (numbering, PDF export, API endpoint); all tests pass.',
  );
  afternoon.end();

  story.heading('Late afternoon · Claude session 3: patient-search, then the end of the day');
  const evening = new PlayedSession(world, HAIKU);
  evening.start();
  evening.type('/start-session pat-1600 spec patient-search');
  // Work done outside Claude Code (another tool, another machine): 45k tokens, typed in by hand.
  evening.type('/log-task 2.1 done 45k claude-haiku-4-5');
  world.written.addManual(45_000, 'patient-search/2.1');
  evening.type('/cost');
  evening.type('/eod');
  evening.end();
}

/** `/do-task <spec> <id>`, Claude's work, the agent ticking the box in tasks.md, the turn's end. */
function doTask(
  world: DemoWorld,
  session: PlayedSession,
  id: string,
  work: () => void,
  summary: string,
  spec = 'invoice-management',
): void {
  session.type(`/do-task ${spec} ${id}`);
  work();
  const edit = doneEdit(world.projectDir, spec, id);
  session.useTool(
    {
      name: 'Edit',
      input: { file_path: edit.file, old_string: edit.oldLine, new_string: edit.newLine, replace_all: false },
      result: `The file ${edit.file} has been updated successfully.`,
      label: `Edit tasks.md (${id} → [x])`,
      apply: edit.apply,
      returns: [200, 600],
    },
    `Task ${id} is complete; marking it done in tasks.md.`,
  );
  session.finish(summary);
}

/** Claude Code's Read, Write, Grep and Bash tools on the demo project. */
function fileTools(projectDir: string) {
  const abs = (rel: string) => path.join(projectDir, rel);
  return {
    read: (rel: string): ToolStep => ({
      name: 'Read',
      input: { file_path: abs(rel) },
      result: fs.readFileSync(abs(rel), 'utf8'),
      label: `Read ${path.basename(rel)}`,
      returns: [2_000, 6_000],
    }),
    write: (rel: string, content: string): ToolStep => ({
      name: 'Write',
      input: { file_path: abs(rel), content },
      result: `File created successfully at: ${abs(rel)}`,
      label: `Write ${rel}`,
      apply: () => {
        fs.mkdirSync(path.dirname(abs(rel)), { recursive: true });
        fs.writeFileSync(abs(rel), content);
      },
    }),
    grep: (pattern: string, rel: string): ToolStep => ({
      name: 'Grep',
      input: { pattern, path: abs(rel), output_mode: 'content' },
      result: `${rel}/pdf/render.ts:1:export function renderPdf(lines: string[]): Uint8Array {`,
      label: `Grep ${pattern}`,
      returns: [1_500, 4_000],
    }),
    bash: (command: string, description: string, output: string): ToolStep => ({
      name: 'Bash',
      input: { command, description },
      result: output,
      label: `Bash ${command}`,
      returns: [1_500, 5_000],
    }),
  };
}

const MODEL_TS = `export interface LineItem { description: string; quantity: number; unitCents: number; taxRate: number }
export interface Invoice { customer: string; date: string; lines: LineItem[] }

export function validateInvoice(invoice: Invoice): string[] {
  const errors: string[] = [];
  if (invoice.lines.length === 0) errors.push('an invoice needs at least one line');
  for (const line of invoice.lines) if (!Number.isInteger(line.unitCents)) errors.push(\`\${line.description}: amounts are integer cents\`);
  return errors;
}
`;

const TOTALS_TS = `import type { Invoice } from './model.js';

export function calculateTotals(invoice: Invoice) {
  let subtotal = 0;
  let tax = 0;
  for (const line of invoice.lines) {
    const net = line.quantity * line.unitCents;
    subtotal += net;
    tax += Math.round(net * line.taxRate);
  }
  return { subtotal, tax, total: subtotal + tax };
}
`;

const NUMBERING_TS = `export async function nextInvoiceNumber(year: number, counter: { increment(key: string): Promise<number> }): Promise<string> {
  const n = await counter.increment(\`invoice-\${year}\`);
  return \`INV-\${year}-\${String(n).padStart(4, '0')}\`;
}
`;

const PDF_TS = `import { renderPdf } from '../pdf/render.js';
import type { Invoice } from './model.js';
import { calculateTotals } from './totals.js';

export function invoicePdf(invoice: Invoice): Uint8Array {
  const { total } = calculateTotals(invoice);
  return renderPdf([invoice.customer, ...invoice.lines.map((l) => l.description), \`Total: \${(total / 100).toFixed(2)}\`]);
}
`;

const API_TS = `import { validateInvoice, type Invoice } from '../invoice/model.js';

export function createInvoiceHandler(save: (invoice: Invoice) => Promise<string>) {
  return async (body: Invoice) => {
    const errors = validateInvoice(body);
    return errors.length ? { status: 400, body: { errors } } : { status: 201, body: { id: await save(body) } };
  };
}
`;
