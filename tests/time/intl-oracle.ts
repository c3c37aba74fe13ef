/** What Intl says an instant's day and clock time are in a zone: the oracle the Intl-free paths are held to. */
export function intlDay(tz: string): (t: number) => string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (t) => f.format(t);
}

/** "2026-11-25 10:30" as Intl writes it in `tz`. */
export function intlClock(tz: string): (t: number) => string {
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (t) => f.format(t);
}

/** Minutes UTC is ahead of the zone's wall clock at `t`, as Intl says (Date's getTimezoneOffset sign). */
export function intlOffsetMinutes(zone: string, t: number): number {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
      .formatToParts(t)
      .map((x) => [x.type, Number(x.value)]),
  );
  return (t - Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!)) / 60_000;
}
