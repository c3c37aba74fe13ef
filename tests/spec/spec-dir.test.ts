import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError } from '../../src/spec/errors.js';
import { assertSafeName, listSpecDirs, listSpecs, logsDir, readSpecTasks, tasksPath } from '../../src/spec/spec-dir.js';
import { tempProject } from './temp-project.js';

describe('assertSafeName', () => {
  it.each(['auth', 'user-auth_v2', 'a', '1.2', 'T001', 'x'.repeat(64), 'a.b'])('accepts %j', (name) => {
    expect(() => assertSafeName('spec', name)).not.toThrow();
  });

  it.each([
    ['../x', "invalid spec name \"../x\": use letters, digits, '.', '_' and '-'"],
    ['a..b', 'invalid spec name "a..b": it must not contain ".."'],
    ['', 'invalid spec name "": it is empty'],
    ['.hidden', 'invalid spec name ".hidden": it must start with a letter or digit'],
    ['-flag', 'invalid spec name "-flag": it must start with a letter or digit'],
    ['a/b', "invalid spec name \"a/b\": use letters, digits, '.', '_' and '-'"],
    ['a b', "invalid spec name \"a b\": use letters, digits, '.', '_' and '-'"],
    ['x'.repeat(65), `invalid spec name "${'x'.repeat(65)}": 65 characters; at most 64`],
  ])('rejects %j', (name, message) => {
    expect(() => assertSafeName('spec', name)).toThrow(new SpecError(message));
  });

  it('names the kind', () => {
    expect(() => assertSafeName('session', 'a\nb')).toThrow(
      new SpecError("invalid session name \"a\\nb\": use letters, digits, '.', '_' and '-'"),
    );
  });
});

describe('spec paths', () => {
  it.each([
    [tasksPath, path.join('/p', '.spec-workflow', 'specs', 'auth', 'tasks.md')],
    [logsDir, path.join('/p', '.spec-workflow', 'specs', 'auth', 'Implementation Logs')],
  ])('%o', (fn, expected) => {
    expect(fn('/p', 'auth')).toBe(expected);
  });

  it('refuses an unsafe spec name before building a path', () => {
    expect(() => tasksPath('/p', '../../etc')).toThrow(SpecError);
    expect(() => logsDir('/p', '..')).toThrow(SpecError);
  });
});

describe('listSpecs and readSpecTasks', () => {
  const project = () =>
    tempProject({
      '.spec-workflow/specs/zeta/tasks.md': '- [ ] 1. Z\n',
      '.spec-workflow/specs/alpha/tasks.md': '- [x] 1. A\n',
      '.spec-workflow/specs/design-only/design.md': '# Design\n',
      '.spec-workflow/specs/stray-file.md': 'not a spec\n',
      '.spec-workflow/steering/product.md': '# Product\n',
    });

  it('lists the spec folders with a tasks.md, sorted', () => {
    const dir = project();
    expect(listSpecs(dir)).toEqual(['alpha', 'zeta']);
    expect(listSpecDirs(dir)).toEqual(['alpha', 'design-only', 'zeta']);
  });

  it('gives [] for a project without .spec-workflow', () => {
    expect(listSpecs(tempProject({}))).toEqual([]);
  });

  it('reads a spec', () => {
    expect(readSpecTasks(project(), 'alpha').map((t) => [t.id, t.status])).toEqual([['1', 'done']]);
  });

  it.each([
    ['missing', 'unknown spec "missing"; specs here: alpha, zeta'],
    ['design-only', 'unknown spec "design-only"; specs here: alpha, zeta'],
  ])('names the specs there are when %s has no tasks.md', (spec, message) => {
    expect(() => readSpecTasks(project(), spec)).toThrow(new SpecError(message));
  });

  it('says so when there are no specs at all', () => {
    const dir = tempProject({});
    expect(() => readSpecTasks(dir, 'x')).toThrow(
      new SpecError(`unknown spec "x"; no spec in ${path.join(dir, '.spec-workflow', 'specs')} has a tasks.md`),
    );
  });
});
