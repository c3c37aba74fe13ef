/**
 * The page's script as the shipped bundle writes it (dist/, however build.mjs compiles it), run in
 * a bare JavaScript context with a stand-in document: no browser needed, so a script that cannot
 * run is caught even where chromium is not installed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { afterAll, expect, it } from 'vitest';
import { cli } from '../e2e/support/project.js';

const project = mkdtempSync(join(tmpdir(), 'spec-session-page-'));
mkdirSync(join(project, 'home'));
mkdirSync(join(project, '.claude', 'spec-session'), { recursive: true }); // a clone of an installed project: a project root
cpSync(fileURLToPath(new URL('fixtures/ledger', import.meta.url)), join(project, 'docs', 'sessions', 'ledger'), {
  recursive: true,
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

function run(...args: string[]): string {
  const r = spawnSync(process.execPath, [cli, ...args, '--dir', project, '--tz', 'America/New_York'], {
    env: { ...process.env, HOME: join(project, 'home') },
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** Just what the script touches: elements by id, with their text, markup, value and listeners. */
function standInDocument(html: string) {
  const elements = new Map<
    string,
    {
      id: string;
      textContent: string;
      innerHTML: string;
      value: string;
      min: string;
      max: string;
      listeners: Record<string, () => void>;
      addEventListener(type: string, fn: () => void): void;
    }
  >();
  const data = html.slice(
    html.indexOf('<script type="application/json" id="dashboard-data">') + 52,
    html.indexOf('</script>'),
  );
  return {
    elements,
    getElementById(id: string) {
      if (!elements.has(id))
        elements.set(id, {
          id,
          textContent: id === 'dashboard-data' ? data : '',
          innerHTML: '',
          value: '',
          min: '',
          max: '',
          listeners: {},
          addEventListener(type, fn) {
            this.listeners[type] = fn;
          },
        });
      return elements.get(id)!;
    },
  };
}

it('runs as shipped and shows the totals of cost --json, then filters by spec', () => {
  const file = join(project, 'report.html');
  run('dashboard', '--out', file);
  const html = readFileSync(file, 'utf8');
  const script = html.slice(html.lastIndexOf('<script>') + 8, html.lastIndexOf('</script>'));
  const document = standInDocument(html);
  vm.runInNewContext(script, { document });
  const cost = JSON.parse(run('cost', '--json'));
  const kpis = document.elements.get('kpis')!.innerHTML;
  expect(kpis).toContain(`data-testid="total-cost" data-value="${cost.totals.totalCost}"`);
  expect(kpis).toContain(`data-testid="total-tokens" data-value="${cost.totals.totalTokens}"`);
  expect(document.elements.get('timeline')!.innerHTML).toContain('data-lane="inv-1"');

  const spec = document.elements.get('filter-spec')!;
  spec.value = 'beta';
  spec.listeners.change!();
  const beta = cost.specs.find((s: { spec: string }) => s.spec === 'beta');
  expect(document.elements.get('kpis')!.innerHTML).toContain(`data-testid="total-cost" data-value="${beta.totalCost}"`);
});
