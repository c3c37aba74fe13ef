import { describe, expect, it } from 'vitest';
import {
  readUsageSection,
  removeUsageSection,
  upsertUsageSection,
  usageSection,
  type UsageBlock,
} from '../../src/spec/usage-section.js';
import { SPEC_WORKFLOW_LOG, USAGE, USAGE_TEXT } from './usage-fixture.js';

const MINIMAL: UsageBlock = {
  session: 's1',
  claudeSessions: [],
  models: [],
  total: { tokens: 0, cost: 0.09124 },
  priceTable: 'none',
  manual: true,
};
const MINIMAL_TEXT = `## Usage

- **Session:** s1
- **Tokens:** 0
- **Cost:** $0.0912
- **Prices:** none
- **Entered:** manually

_No model usage recorded_

`;

describe('usageSection', () => {
  it.each([
    ['full', USAGE, USAGE_TEXT],
    ['minimal, entered by hand', MINIMAL, MINIMAL_TEXT],
  ])('%s', (_name, usage, text) => expect(usageSection(usage)).toBe(text));
});

const [HEAD, TAIL] = SPEC_WORKFLOW_LOG.split(/(?=## Files Modified)/) as [string, string];

describe('upsertUsageSection', () => {
  it.each([
    ['inserts before ## Files Modified', SPEC_WORKFLOW_LOG, HEAD + MINIMAL_TEXT + TAIL],
    ['replaces an existing section', HEAD + USAGE_TEXT + TAIL, HEAD + MINIMAL_TEXT + TAIL],
    [
      'replaces a hand-edited one without its blank line',
      `${HEAD}## Usage\n- old\n${TAIL}`,
      HEAD + MINIMAL_TEXT + TAIL,
    ],
    [
      'inserts after Statistics when Files Modified is missing',
      '## Statistics\n\n- **Net Change:** 1\n\n---\n\n## Artifacts\n',
      `## Statistics\n\n- **Net Change:** 1\n\n${MINIMAL_TEXT}---\n\n## Artifacts\n`,
    ],
    [
      'appends after a final Statistics section',
      '## Statistics\n\n- **Net Change:** 1',
      `## Statistics\n\n- **Net Change:** 1\n\n${MINIMAL_TEXT}`,
    ],
    [
      'appends to a log without either heading',
      '# Implementation Log: Task 1\n\n',
      `# Implementation Log: Task 1\n\n${MINIMAL_TEXT}`,
    ],
    ['keeps CRLF', SPEC_WORKFLOW_LOG.replace(/\n/g, '\r\n'), (HEAD + MINIMAL_TEXT + TAIL).replace(/\n/g, '\r\n')],
  ])('%s', (_name, log, expected) => {
    const once = upsertUsageSection(log, MINIMAL);
    expect(once).toBe(expected);
    expect(upsertUsageSection(once, MINIMAL)).toBe(once);
  });

  it('replacing with other numbers changes only the section', () => {
    const withFull = upsertUsageSection(SPEC_WORKFLOW_LOG, USAGE);
    expect(withFull).toBe(HEAD + USAGE_TEXT + TAIL);
    expect(upsertUsageSection(withFull, MINIMAL)).toBe(HEAD + MINIMAL_TEXT + TAIL);
  });
});

describe('readUsageSection and removeUsageSection', () => {
  it.each([
    ['LF', SPEC_WORKFLOW_LOG],
    ['CRLF', SPEC_WORKFLOW_LOG.replace(/\n/g, '\r\n')],
  ])('%s: read back what was put in, and remove it to the original bytes', (_name, log) => {
    const withUsage = upsertUsageSection(log, USAGE);
    const eol = log.includes('\r\n') ? '\r\n' : '\n';
    expect(readUsageSection(withUsage)).toBe(USAGE_TEXT.replace(/\n/g, eol));
    expect(removeUsageSection(withUsage)).toBe(log);
  });

  it('leaves a log without the section as it is', () => {
    expect(readUsageSection(SPEC_WORKFLOW_LOG)).toBeUndefined();
    expect(removeUsageSection(SPEC_WORKFLOW_LOG)).toBe(SPEC_WORKFLOW_LOG);
  });
});
