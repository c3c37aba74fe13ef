/**
 * What the demo prints: the commands as the user types them, then what spec-session showed,
 * indented. Lines in parentheses are the demo speaking (what it played as Claude Code), so a
 * reader can always tell them from spec-session's own output.
 */
const WIDTH = 100;

export class Narrative {
  private readonly lines: string[] = [];

  heading(text: string): void {
    this.lines.push('', `━━ ${text} ${'━'.repeat(Math.max(3, 76 - text.length))}`);
  }

  /** A prompt typed in Claude Code (`> /do-task …`) or a shell command (`$ spec-session …`). */
  typed(prompt: string, shell = false): void {
    this.lines.push(`${shell ? '$' : '>'} ${prompt}`);
  }

  /** What spec-session showed, verbatim, indented under the command. */
  shown(text: string | undefined): void {
    if (!text) return;
    for (const line of text.replace(/\s+$/, '').split('\n')) this.lines.push(line ? `  ${line}` : '');
  }

  /** The demo describing what it played (Claude's work, Claude Code's own lines). */
  note(text: string): void {
    const words = `(${text})`.split(' ');
    let line = ' ';
    for (const word of words) {
      if (line.length + 1 + word.length > WIDTH && line.trim()) {
        this.lines.push(line);
        line = '   ';
      }
      line += ` ${word}`;
    }
    this.lines.push(line);
  }

  plain(text = ''): void {
    this.lines.push(...text.split('\n'));
  }

  toString(): string {
    return `${this.lines.join('\n').replace(/^\n+/, '')}\n`;
  }
}
