/**
 * What a report could not read: ledger lines that are not valid records (a hand edit, a torn
 * line) and ledger files that could not be read at all. Figures leave them out; every report says
 * so, in one line, so a damaged ledger never lowers a total silently.
 */
export interface Skipped {
  malformed: number;
  problems: string[];
}

export function skippedNote({ malformed, problems }: Skipped): string | undefined {
  const parts: string[] = [];
  if (malformed)
    parts.push(
      `${malformed} ledger line${malformed === 1 ? '' : 's'} could not be read and ${malformed === 1 ? 'is' : 'are'} left out`,
    );
  if (problems.length)
    parts.push(
      `${problems.length} ledger file${problems.length === 1 ? '' : 's'} could not be read at all (${problems[0]})`,
    );
  return parts.length ? `⚠ ${parts.join('; ')}: run spec-session doctor to see where` : undefined;
}

/** The same, for JSON outputs. */
export function skippedFields({ malformed, problems }: Skipped) {
  return { skippedLedgerLines: malformed, unreadableLedgerFiles: problems };
}
