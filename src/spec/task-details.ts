/**
 * A task's metadata, read from the lines between its checkbox line and the next checkbox line by
 * spec-workflow-mcp 2.2.7's rules (src/core/task-parser.ts, checked 2026-12 against recorded
 * outputs in tests/spec/fixtures/spec-workflow-2.2.7), so /do-task's brief shows what the
 * dashboard's task card shows. Any line counts, bullet or not, blank lines and headings included.
 * One deliberate difference: `_Leverage:`, `_Requirements:` and `_Blocked:` values are read to the
 * italic's closing underscore, where spec-workflow stops at the first (`src/file_utils.ts`).
 */
export interface TaskDetails {
  files: string[];
  purposes: string[];
  /** Requirement ids; `NFR` is left out, as spec-workflow does. */
  requirements: string[];
  leverage?: string;
  prompt?: string;
  blockedReason?: string;
  /** The other bullets under the task (spec-workflow's implementation details). */
  notes: string[];
}

const BULLET = /^[-*]\s/;
const CHECKBOX_BULLET = /^[-*]\s+\[/;

/** The task's details from its lines (after its checkbox line, before the next checkbox line). */
export function readTaskDetails(lines: readonly string[]): TaskDetails {
  const details: TaskDetails = { files: [], purposes: [], requirements: [], notes: [] };
  const leverage: string[] = [];
  let prompt = '';
  let blockedReason = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    // First, as spec-workflow: a prompt may quote the other keys.
    if (line.includes('_Prompt:')) {
      const read = readPrompt(lines, i);
      prompt = read.text; // the last prompt wins
      i += read.continuationLines;
    } else if (line.includes('_Requirements:')) {
      requirements(details, italicValue(line, 'Requirements'));
    } else if (line.includes('_Leverage:')) {
      leverage.push(...splitList(italicValue(line, 'Leverage') ?? ''));
    } else if (line.includes('_Blocked:')) {
      const reason = italicValue(line, 'Blocked');
      if (reason !== undefined) blockedReason = reason; // the last reason wins
    } else if (/Files?:/.test(line)) {
      // Anywhere in the line; `(new)` and similar notes are dropped from each path.
      const files = /Files?:\s*(.+)$/.exec(line)?.[1] ?? '';
      details.files.push(
        ...files
          .split(',')
          .map((f) =>
            f
              .trim()
              .replace(/\(.*?\)/, '')
              .trim(),
          )
          .filter((f) => f !== ''),
      );
    } else if (BULLET.test(line) && !CHECKBOX_BULLET.test(line)) {
      const text = line.replace(/^[-*]\s+/, '').trim();
      if (text.startsWith('Purpose:')) details.purposes.push(text.slice('Purpose:'.length).trim());
      else details.notes.push(text);
    }
  }
  if (leverage.length > 0) details.leverage = leverage.join(', ');
  if (prompt !== '') details.prompt = prompt;
  if (blockedReason !== '') details.blockedReason = blockedReason;
  return details;
}

function requirements(details: TaskDetails, value: string | undefined): void {
  if (value !== undefined) details.requirements.push(...splitList(value).filter((id) => id !== 'NFR'));
}

const splitList = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');

/**
 * `_Key: value_` anywhere in the line. spec-workflow takes the value up to the first underscore;
 * the italic really closes at an underscore followed by a space or the line's end, so
 * `src/file_utils.ts` stays whole. undefined when spec-workflow would read nothing either.
 */
function italicValue(line: string, key: string): string | undefined {
  const closed = new RegExp(`_${key}:\\s*(.+?)_(?=\\s|$)`).exec(line);
  const firstUnderscore = new RegExp(`_${key}:\\s*([^_]+?)_`).exec(line);
  const match = closed ?? firstUnderscore;
  return match ? match[1]!.trim() : undefined;
}

/**
 * `_Prompt: …_` on one line, or continued on the following lines up to a blank line, a bullet,
 * or a `Files:`/`Purpose:` line. A continued plain metadata line becomes part of the prompt, as
 * in spec-workflow.
 */
function readPrompt(lines: readonly string[], at: number): { text: string; continuationLines: number } {
  const line = lines[at]!.trim();
  const oneLine = /_Prompt:\s*(.+)_$/.exec(line);
  if (oneLine) return { text: oneLine[1]!.trim(), continuationLines: 0 };
  let text = (/_Prompt:\s*(.+)$/.exec(line)?.[1] ?? '').replace(/_$/, '').trim();
  let next = at + 1;
  for (; next < lines.length; next++) {
    const continued = lines[next]!.trim();
    if (continued === '' || BULLET.test(continued) || /^Files?:/i.test(continued) || /^Purpose:/i.test(continued))
      break;
    text += ` ${continued.replace(/_$/, '').trim()}`;
  }
  return { text, continuationLines: next - at - 1 };
}
