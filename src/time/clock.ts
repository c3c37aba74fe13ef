/** The clock commands read: SPEC_SESSION_NOW=<ISO time> pins it, for tests only (a "today" that does not depend on the day they run). */
export function systemClock(): () => number {
  const pinned = process.env.SPEC_SESSION_NOW;
  return pinned ? () => Date.parse(pinned) : () => Date.now();
}
