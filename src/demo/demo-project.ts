import fs from 'node:fs';
import path from 'node:path';

/**
 * The demo's project, `invoice-app`: two specs as spec-workflow-mcp 2.2.x writes them, planned and
 * approved (the guide's 09:00 step), nothing implemented yet.
 */
const INVOICE_TASKS = `# Tasks Document

- [ ] 1.1 Create invoice model
  - File: src/invoice/model.ts
  - Purpose: Invoice and line-item types with validation
  - _Leverage: src/types/money.ts_
  - _Requirements: 1.1, 1.2_
  - _Prompt: Role: TypeScript developer | Task: Create the Invoice and LineItem types and a validateInvoice function following requirements 1.1 and 1.2 | Restrictions: no any, amounts in integer cents | Success: types compile and validateInvoice rejects empty invoices_
- [ ] 1.2 Add invoice totals calculation
  - File: src/invoice/totals.ts
  - Purpose: Subtotal, tax and total of an invoice
  - _Requirements: 1.3_
  - _Prompt: Role: TypeScript developer | Task: Implement calculateTotals(invoice) with per-line tax rates | Restrictions: integer cents, round half up once per line | Success: unit tests for rounding pass_
- [ ] 1.3 Add invoice numbering
  - File: src/invoice/numbering.ts
  - Purpose: Gap-free invoice numbers per year (INV-2025-0001)
  - _Requirements: 2.1_
  - _Prompt: Role: Backend developer | Task: Implement nextInvoiceNumber(year) backed by a counter table | Restrictions: safe under concurrent requests | Success: numbers are sequential and unique_
- [ ] 1.4 Add invoice PDF export
  - File: src/invoice/pdf.ts
  - Purpose: Render an invoice to PDF for download and email
  - _Leverage: src/pdf/render.ts_
  - _Requirements: 3.1_
  - _Prompt: Role: Full-stack developer | Task: Render an invoice with its lines and totals to PDF using the existing PDF helpers | Restrictions: reuse src/pdf/render.ts | Success: a sample invoice renders to a one-page PDF_
- [ ] 1.5 Add invoice API endpoint
  - File: src/api/invoices.ts
  - Purpose: POST /api/invoices and GET /api/invoices/:id
  - _Requirements: 4.1, 4.2_
  - _Prompt: Role: API developer | Task: Add create and read endpoints using the model, totals and numbering | Restrictions: validate input with validateInvoice | Success: endpoint tests pass_
`;

const PATIENT_TASKS = `# Tasks Document

- [x] 1.1 Create patient search index
  - File: src/patients/search-index.ts
  - _Requirements: 1.1_
- [ ] 2.1 Add fuzzy name matching
  - File: src/patients/fuzzy.ts
  - Purpose: Find patients by misspelt or partial names
  - _Requirements: 2.1_
  - _Prompt: Role: Backend developer | Task: Add trigram-based fuzzy matching to the patient search | Restrictions: under 50 ms for 100k patients | Success: "jon smth" finds John Smith_
- [ ] 2.2 Add search filters (date of birth, ward)
  - File: src/patients/filters.ts
  - _Requirements: 2.2_
`;

const SPECS: Record<string, { title: string; requirements: string; design: string; tasks: string }> = {
  'invoice-management': {
    title: 'Invoice management',
    requirements:
      '1.1 An invoice has a customer, a date and one or more line items.\n1.2 Amounts are stored in integer cents.\n1.3 Totals include per-line tax.\n2.1 Invoice numbers are sequential per year, without gaps.\n3.1 An invoice can be downloaded as a PDF.\n4.1 Invoices are created through POST /api/invoices.\n4.2 An invoice is read through GET /api/invoices/:id.',
    design:
      'Model (src/invoice/model.ts) → totals (totals.ts) → numbering (numbering.ts, counter table) → PDF (pdf.ts, reusing src/pdf/render.ts) → API (src/api/invoices.ts).',
    tasks: INVOICE_TASKS,
  },
  'patient-search': {
    title: 'Patient search',
    requirements:
      '1.1 Staff find a patient by name or hospital number.\n2.1 Misspelt names still match.\n2.2 Results can be filtered by date of birth and ward.',
    design:
      'A search index over patients (search-index.ts) with trigram fuzzy matching (fuzzy.ts) and filters (filters.ts).',
    tasks: PATIENT_TASKS,
  },
};

/** Writes `invoice-app/` under `parent` and returns its path. */
export function writeDemoProject(parent: string): string {
  const root = path.join(parent, 'invoice-app');
  for (const [spec, s] of Object.entries(SPECS)) {
    const dir = path.join(root, '.spec-workflow', 'specs', spec);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'requirements.md'),
      `# Requirements Document: ${s.title}\n\n## Requirements\n\n${s.requirements}\n`,
    );
    fs.writeFileSync(path.join(dir, 'design.md'), `# Design Document: ${s.title}\n\n## Architecture\n\n${s.design}\n`);
    fs.writeFileSync(path.join(dir, 'tasks.md'), s.tasks);
  }
  fs.mkdirSync(path.join(root, 'src', 'pdf'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'src', 'pdf', 'render.ts'),
    'export function renderPdf(lines: string[]): Uint8Array {\n  return new TextEncoder().encode(lines.join("\\n"));\n}\n',
  );
  fs.writeFileSync(
    path.join(root, 'package.json'),
    `${JSON.stringify({ name: 'invoice-app', private: true, type: 'module' }, null, 2)}\n`,
  );
  return root;
}

export function tasksFile(projectDir: string, spec: string): string {
  return path.join(projectDir, '.spec-workflow', 'specs', spec, 'tasks.md');
}

/**
 * The edit an agent makes when spec-workflow's instructions say a task is done: its checkbox,
 * `[-]` (or `[ ]`), becomes `[x]`. Returned as an Edit tool's old/new strings plus the change itself.
 */
export function doneEdit(
  projectDir: string,
  spec: string,
  taskId: string,
): { file: string; oldLine: string; newLine: string; apply: () => void } {
  const file = tasksFile(projectDir, spec);
  const text = fs.readFileSync(file, 'utf8');
  const escaped = taskId.replace(/\./g, '\\.');
  const line = text.split('\n').find((l) => new RegExp(`^\\s*[-*]\\s+\\[[ -]\\]\\s+${escaped}\\s`).test(l));
  if (!line) throw new Error(`demo: task ${taskId} of ${spec} is not open in ${file}`);
  const oldLine = line.trim();
  const newLine = oldLine.replace(/\[[ -]\]/, '[x]');
  return {
    file,
    oldLine,
    newLine,
    apply: () => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(oldLine, newLine)),
  };
}
