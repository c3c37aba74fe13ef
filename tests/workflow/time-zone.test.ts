/**
 * A project that leaves `timeZone` unset (the default) keeps days in the machine's zone: named from
 * TZ or /etc/localtime and kept in the state folder, so a hook or command loads no Intl data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, type Project } from '../e2e/support/project.js';
import { ensureBuilt } from '../report/cli.js';

beforeAll(() => ensureBuilt());

function projectInMachineZone(): Project {
  const project = makeProject();
  fs.writeFileSync(path.join(project.project, '.claude', 'spec-session', 'config.json'), '{"timeZone": null}\n');
  return project;
}

const intlName = (tz: string) => new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;

const costIn = (project: Project, tz: string) => {
  project.env.TZ = tz;
  return JSON.parse(project.specSession(['cost', '--json']).stdout) as { timeZone: string };
};

describe("the machine's zone, when the project sets none", () => {
  it('an empty TZ is UTC: commands run (they used to stop at Intl\'s "Etc/Unknown")', () => {
    const project = projectInMachineZone();
    project.env.SPEC_SESSION_NOW = '2026-11-01T23:30:00Z';
    project.env.TZ = '';
    project.specSession(['log-task', 'invoice-management/1.1', 'done', '1k']);
    expect(costIn(project, '').timeZone).toBe('UTC');
    expect(project.specSession(['session-status']).code).toBe(0);
  });

  it('TZ names it, on every run: the name kept in the state folder follows TZ', () => {
    const project = projectInMachineZone();
    const kept = path.join(project.project, '.claude', 'spec-session', 'state', 'zone.json');
    expect(costIn(project, 'Asia/Tokyo').timeZone).toBe('Asia/Tokyo'); // makes the state folder
    expect(costIn(project, 'Asia/Tokyo').timeZone).toBe('Asia/Tokyo');
    expect(fs.readFileSync(kept, 'utf8')).toContain('"zone":"Asia/Tokyo"');
    expect(costIn(project, 'Asia/Tokyo').timeZone).toBe('Asia/Tokyo'); // from what was kept
    expect(costIn(project, 'America/Los_Angeles').timeZone).toBe('America/Los_Angeles');
    // As Intl names it (node 20's ICU: Asia/Calcutta, CLDR's name).
    expect(costIn(project, 'Asia/Kolkata').timeZone).toBe(intlName('Asia/Kolkata'));
  });
});
