import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SlotDays } from '../../src/time/slot-days.js';
import { isLocalZone, systemTimeZone } from '../../src/time/system-zone.js';
import { dayKey } from '../../src/time/zoned.js';
import { clock } from '../../src/time/time-format.js';
import { tempDir } from '../transcript/corpus.js';
import { intlClock, intlDay, intlOffsetMinutes } from './intl-oracle.js';

/**
 * The machine's zone is named once (then kept in zone.json) and its days and clock times are read
 * from Date's local time, not from an Intl formatter. These tests move this process's TZ (node
 * re-reads it when process.env.TZ is set) and hold the Date-based answers to Intl's for the same zone.
 */
const ZONES = [
  'Europe/Berlin',
  'America/Los_Angeles',
  'America/St_Johns', // −3:30, DST
  'Asia/Kathmandu', // +5:45
  'Australia/Lord_Howe', // a 30-minute DST change
  'Pacific/Chatham', // +12:45 / +13:45
  'Europe/Dublin', // "negative" DST in the zone data
  'Africa/Casablanca', // DST suspended in Ramadan
  'America/Santiago',
  'Pacific/Kiritimati', // +14
  'Etc/GMT+5',
];
const SLOT = 15 * 60_000;
const saved = process.env.TZ;
afterAll(() => {
  if (saved === undefined) delete process.env.TZ;
  else process.env.TZ = saved;
});

describe("the machine's zone, read from Date: the same days and clock times as Intl's", () => {
  it.each(ZONES)('%s: every 15-minute slot of 2026, and an instant inside each', (zone) => {
    process.env.TZ = zone;
    const name = systemTimeZone();
    expect(new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset()).toBe(intlOffsetMinutes(zone, Date.UTC(2026, 0, 15)));
    expect(isLocalZone(name)).toBe(true);
    const day = intlDay(zone);
    const time = intlClock(zone);
    const slots = new SlotDays(name);
    const wrong: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += SLOT) {
      const inside = t + ((t / SLOT) % 15) * 60_000 + 59_999; // somewhere in the slot, to the millisecond
      for (const at of [t, inside]) {
        if (dayKey(at, name) !== day(at) || slots.day(at) !== day(at) || clock(at, name) !== time(at))
          wrong.push(`${new Date(at).toISOString()}: ${dayKey(at, name)} ${slots.day(at)} ${clock(at, name)}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

describe('naming the zone', () => {
  it('names it as Intl does, keeps the answer under what it depends on, and asks again when TZ changes', () => {
    const dir = tempDir('spec-session-zone-');
    process.env.TZ = 'Asia/Kolkata';
    const intlName = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Kolkata' }).resolvedOptions().timeZone;
    expect(systemTimeZone(dir)).toBe(intlName); // Intl's name for it (node 20: CLDR's Asia/Calcutta)
    const memo = JSON.parse(fs.readFileSync(path.join(dir, 'zone.json'), 'utf8')) as { source: string; zone: string };
    expect(memo.zone).toBe(intlName);
    expect(memo.source).toContain('TZ=Asia/Kolkata');
    // The kept answer is what the next run uses: Intl is not asked.
    fs.writeFileSync(path.join(dir, 'zone.json'), JSON.stringify({ ...memo, zone: 'Asia/Kept' }));
    expect(systemTimeZone(dir)).toBe('Asia/Kept');
    expect(isLocalZone('Asia/Kept')).toBe(true);
    process.env.TZ = 'Europe/Berlin';
    expect(systemTimeZone(dir)).toBe('Europe/Berlin');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'zone.json'), 'utf8'))).toMatchObject({ zone: 'Europe/Berlin' });
    expect(isLocalZone('Asia/Kept')).toBe(false);
    fs.writeFileSync(path.join(dir, 'zone.json'), '{"source": 1');
    expect(systemTimeZone(dir)).toBe('Europe/Berlin'); // damaged: asked again
  });

  it('an empty TZ is UTC, as Date takes it (Intl names it Etc/Unknown, then refuses that zone)', () => {
    process.env.TZ = '';
    expect(new Date(0).getTimezoneOffset()).toBe(0);
    expect(systemTimeZone()).toBe('UTC');
  });

  it('a zone Intl does not know is UTC, as Date takes it', () => {
    process.env.TZ = 'Mars/Olympus_Mons';
    expect(new Date(Date.UTC(2026, 6, 1)).getTimezoneOffset()).toBe(0);
    expect(systemTimeZone()).toBe('UTC');
  });

  it('no folder is made for the kept answer', () => {
    const dir = path.join(tempDir('spec-session-zone-'), 'not-there');
    process.env.TZ = 'Europe/Berlin';
    expect(systemTimeZone(dir)).toBe('Europe/Berlin');
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe('UTC under any of its names', () => {
  it.each(['UTC', 'Etc/UTC', ':Etc/UTC', 'GMT', 'Etc/Universal', 'Zulu'])(
    'TZ=%s is UTC, and needs nothing kept (Intl names it so too)',
    (tz) => {
      const dir = tempDir('spec-session-zone-');
      process.env.TZ = tz;
      expect(systemTimeZone(dir)).toBe('UTC');
      expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe('UTC');
      expect(fs.existsSync(path.join(dir, 'zone.json'))).toBe(false);
    },
  );
});
