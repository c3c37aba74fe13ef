import fs from 'node:fs';
import type { UsageBlock } from '../../src/spec/usage-section.js';

export const USAGE: UsageBlock = {
  session: 'auth-2',
  claudeSessions: ['3f2a9c1d-8b4e-4c61-9a7f-2d0e5b6c7a81', '9b1e0c2a-1111-4c61-9a7f-2d0e5b6c7a81'],
  started: '2025-11-10T14:00:00.000Z',
  finished: '2025-11-10T14:42:30.000Z',
  durationMinutes: 42.5,
  models: [
    {
      model: 'claude-sonnet-4-5-20250929',
      input: 1234,
      output: 56789,
      cacheWrite5m: 120000,
      cacheWrite1h: 0,
      cacheRead: 2345678,
      cost: 1.93456,
    },
    { model: 'some|new\nmodel', input: 7, output: 0, cacheWrite5m: 0, cacheWrite1h: 1000, cacheRead: 0, cost: null },
  ],
  total: { tokens: 2524708, cost: null },
  priceTable: 'litellm 2025-11-20',
};

/** usageSection(USAGE), byte for byte. */
export const USAGE_TEXT = `## Usage

- **Session:** auth-2
- **Claude Code Sessions:** 3f2a9c1d-8b4e-4c61-9a7f-2d0e5b6c7a81, 9b1e0c2a-1111-4c61-9a7f-2d0e5b6c7a81
- **Started:** 2025-11-10T14:00:00.000Z
- **Finished:** 2025-11-10T14:42:30.000Z
- **Duration:** 43 min
- **Tokens:** 2,524,708
- **Cost:** unpriced
- **Prices:** litellm 2025-11-20

| Model | Input | Output | Cache write 5m | Cache write 1h | Cache read | Cost |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| claude-sonnet-4-5-20250929 | 1,234 | 56,789 | 120,000 | 0 | 2,345,678 | $1.9346 |
| some\\|new model | 7 | 0 | 0 | 1,000 | 0 | unpriced |

`;

/** What spec-workflow 2.2.7's log-implementation tool writes, recorded from its own writer. */
export const SPEC_WORKFLOW_LOG = fs.readFileSync(
  new URL('fixtures/spec-workflow-2.2.7/logs/agent-log.md', import.meta.url),
  'utf8',
);
