import { describe, expect, it } from 'vitest';
import { SlotDays } from '../../src/time/slot-days.js';
import { dayKey } from '../../src/time/zoned.js';

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'America/St_Johns',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'America/Santiago',
];
const SLOT = 15 * 60 * 1000;

describe('SlotDays: the local day (and its day number) of each 15-minute slot, as dayKey says it', () => {
  it.each(ZONES)('%s, every slot of 2026 (both DST changes included)', (tz) => {
    const days = new SlotDays(tz);
    const wrong: string[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += SLOT) {
      const day = dayKey(t, tz);
      // The day number names the same date: its midnight UTC in days since 1970-01-01.
      if (days.day(t) !== day || days.dayNumber(t) !== Date.parse(`${day}T00:00:00Z`) / 86_400_000)
        wrong.push(new Date(t).toISOString());
    }
    expect(wrong).toEqual([]);
  });

  it('instants inside a slot and out of order give the same answers', () => {
    const days = new SlotDays('Europe/Berlin');
    const times = [
      Date.UTC(2026, 2, 29, 0, 59, 59, 999),
      Date.UTC(2026, 2, 29, 1, 0, 0, 1),
      Date.UTC(2026, 9, 24, 22, 30),
      Date.UTC(2026, 2, 28, 22, 59, 59, 999),
      Date.UTC(2026, 2, 28, 23, 0),
    ];
    expect(times.map((t) => days.day(t))).toEqual(times.map((t) => dayKey(t, 'Europe/Berlin')));
  });
});
