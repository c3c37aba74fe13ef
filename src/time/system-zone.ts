import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic-file.js';

/**
 * The machine's time zone, named as Intl names it, mostly without Intl: the first Intl formatter a
 * process makes loads ICU's locale and zone data, ~27 ms on a 2-core machine, paid by every hook and
 * every command of a project that leaves `timeZone` unset (the default), and ~7 MB. UTC under any
 * of its names is known without it. Otherwise Intl's answer depends only on TZ, or when TZ is unset
 * on /etc/localtime (and on node's ICU): it is kept in `zone.json` beside the caller's other
 * machine-local state, under those, and asked again when one of them changes.
 *
 * Days and clock times in this zone are then read from Date's local time, which node takes from the
 * same ICU zone (see zoned.ts), so no Intl formatter is made at all.
 */
const MEMO = 'zone.json';

/** The zone Date's local time is in, once systemTimeZone has named it (this thread only). */
let local: string | undefined;

/** Whether `tz` is the zone Date's local time is in (named by systemTimeZone in this thread). */
export function isLocalZone(tz: string): boolean {
  return tz === local;
}

/**
 * The machine's time zone. `memoDir`: a machine-local folder to keep Intl's answer in (none: Intl is
 * asked every time). An empty TZ means UTC, as it does to the C library and to Date (Intl names it
 * Etc/Unknown, a zone it then refuses).
 */
export function systemTimeZone(memoDir?: string, env: NodeJS.ProcessEnv = process.env): string {
  const link = env.TZ === undefined ? localtimeLink() : undefined;
  // UTC under any of its names (servers, containers, CI) needs no memo: Intl names them all UTC.
  const named = zoneName(env, link);
  if (named !== undefined && UTC_NAMES.has(named)) return (local = 'UTC');
  const source = memoDir ? zoneSource(env, link) : undefined;
  const file = memoDir && path.join(memoDir, MEMO);
  if (source && file) {
    const kept = readMemo(file);
    if (kept?.source === source) return (local = kept.zone);
  }
  const asked = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zone = !asked || asked === 'Etc/Unknown' ? 'UTC' : asked;
  if (source && file) writeMemo(file, { source, zone });
  return (local = zone);
}

/** The IANA names of UTC, each of which Intl names "UTC"; and an empty TZ, UTC to the C library and to Date. */
const UTC_NAMES = new Set([
  '',
  ...['UTC', 'UCT', 'Universal', 'Zulu', 'GMT', 'GMT0', 'GMT+0', 'GMT-0', 'Greenwich'].flatMap((n) => [n, `Etc/${n}`]),
]);

/** Where /etc/localtime links to; undefined when it is not a link (a copied zone file) or not there. */
function localtimeLink(): string | undefined {
  try {
    return fs.readlinkSync('/etc/localtime');
  } catch {
    return undefined;
  }
}

/** The zone TZ names (a leading ':' dropped), else /etc/localtime's link into a zoneinfo folder; undefined when neither says. */
function zoneName(env: NodeJS.ProcessEnv, link: string | undefined): string | undefined {
  if (env.TZ !== undefined) return env.TZ.startsWith(':') ? env.TZ.slice(1) : env.TZ;
  const at = link?.lastIndexOf('zoneinfo/') ?? -1;
  return at >= 0 ? link!.slice(at + 'zoneinfo/'.length) : undefined;
}

/**
 * What Intl's answer depends on, as one string; undefined when it cannot be told (no TZ and no
 * /etc/localtime, as on Windows: Intl is asked every time).
 */
function zoneSource(env: NodeJS.ProcessEnv, link: string | undefined): string | undefined {
  const icu = `icu=${process.versions.icu ?? ''} tz=${process.versions.tz ?? ''} dir=${env.TZDIR ?? ''}`;
  if (env.TZ !== undefined) return `${icu} TZ=${env.TZ}`;
  if (link !== undefined) return `${icu} link=${link}`;
  try {
    const st = fs.statSync('/etc/localtime');
    return `${icu} file=${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined; // no /etc/localtime
  }
}

function readMemo(file: string): { source: string; zone: string } | undefined {
  try {
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { source?: unknown; zone?: unknown };
    return typeof kept.source === 'string' && typeof kept.zone === 'string' && kept.zone
      ? { source: kept.source, zone: kept.zone }
      : undefined;
  } catch {
    return undefined; // none yet, or damaged: Intl is asked
  }
}

function writeMemo(file: string, memo: { source: string; zone: string }): void {
  try {
    // Not where the folder is missing: no folder is made for a memo.
    if (fs.existsSync(path.dirname(file))) writeFileAtomic(file, JSON.stringify(memo), { durable: false });
  } catch {
    // a memo: the next run asks Intl again
  }
}
