/**
 * When things happen in the demo history: how many reports a day (fewer at weekends and holidays,
 * more in summer), through which channel, at what hour (patrols in working time, residents and the
 * hotline from morning to late evening, sensors at any hour), which categories are in season, and
 * when the deadline sweep looks at the clocks.
 */
import type { Channel } from '../../../common/cases.js';
import { DAY_MS, formatDay, OFFSET_MS, weekdayOf } from '../../calendar/civil.js';
import type { WorkingCalendar } from '../../calendar/working-calendar.js';
import { type Rng, WeightedPicker } from '../random.js';
import type { CategoryInfo } from './world.js';

const HOUR_MS = 3_600_000;

/** Reports per day relative to the year's average, by month. */
const MONTH_VOLUME = [0, 0.85, 0.75, 0.95, 1, 1.05, 1.1, 1.2, 1.2, 1.05, 0.9, 0.95, 0.9];

const CHANNELS_WORKDAY = new WeightedPicker<Channel>([
  ['patrol', 36],
  ['resident', 26],
  ['hotline', 24],
  ['survey', 6],
  ['board', 6],
  ['sensor', 2],
]);
const CHANNELS_OFF_DAY = new WeightedPicker<Channel>([
  ['patrol', 8],
  ['resident', 45],
  ['hotline', 38],
  ['survey', 1],
  ['board', 5],
  ['sensor', 3],
]);

const hours = (weights: number[]) => new WeightedPicker(weights.map((w, h) => [h, w] as const));
/** Hour of the day (China time) by channel. */
const HOURS: Record<Channel, WeightedPicker<number>> = {
  patrol: hours([0, 0, 0, 0, 0, 0, 0, 0, 0.5, 3, 3, 2.5, 0.5, 2.5, 3, 3, 2.5, 1, 0, 0, 0, 0, 0, 0]),
  survey: hours([0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 2, 0.3, 2, 3, 3, 2, 0.5, 0, 0, 0, 0, 0, 0]),
  board: hours([0, 0, 0, 0, 0, 0, 0, 0.3, 1, 2, 2, 2, 1, 2, 2, 2, 2, 1, 0.5, 0.3, 0, 0, 0, 0]),
  resident: hours([
    0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 1.5, 2.2, 2.6, 2.6, 2.2, 1.8, 2, 2.2, 2.2, 2, 1.8, 1.8, 2.2, 2.4, 2, 1.2, 0.6,
  ]),
  hotline: hours([
    0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 2.5, 3, 3, 2.6, 2, 2.4, 2.6, 2.5, 2.3, 2, 1.5, 1.3, 1.2, 1, 0.7, 0.4,
  ]),
  sensor: hours(Array.from({ length: 24 }, () => 1)),
  open311: hours(Array.from({ length: 24 }, () => 1)),
};

export interface ReportSlot {
  at: Date;
  channel: Channel;
}

/** The China-time day number of an instant. */
export const dayNumberOf = (at: Date) => Math.floor((at.getTime() + OFFSET_MS) / DAY_MS);
/** The instant of 00:00 China time on a day number. */
export const midnightOf = (day: number) => new Date(day * DAY_MS - OFFSET_MS);
/** Month 1–12 of an instant in China time. */
export const monthOf = (at: Date) => new Date(at.getTime() + OFFSET_MS).getUTCMonth() + 1;

function dayWeight(calendar: WorkingCalendar, day: number, noise: number): number {
  const weekday = weekdayOf(day);
  const working = calendar.isWorkday(formatDay(day));
  const kind = working ? 1 : weekday === 0 || weekday === 6 ? 0.55 : 0.42;
  const month = monthOf(midnightOf(day));
  return kind * (MONTH_VOLUME[month] ?? 1) * noise;
}

/**
 * Exactly `cases` report instants in (start, end], sorted, with their channels: days weighted by
 * kind and season (largest remainders keep the total exact), hours by channel.
 */
export function reportSlots(rng: Rng, calendar: WorkingCalendar, start: Date, end: Date, cases: number): ReportSlot[] {
  const first = dayNumberOf(start);
  const last = dayNumberOf(end);
  const days: { day: number; from: number; to: number; weight: number }[] = [];
  for (let day = first; day <= last; day++) {
    const from = Math.max(midnightOf(day).getTime(), start.getTime() + 1);
    const to = Math.min(midnightOf(day + 1).getTime(), end.getTime());
    if (to <= from) continue;
    const share = (to - from) / DAY_MS;
    days.push({ day, from, to, weight: dayWeight(calendar, day, rng.float(0.8, 1.2)) * share });
  }
  const total = days.reduce((s, d) => s + d.weight, 0);
  const exact = days.map((d) => (d.weight / total) * cases);
  const counts = exact.map(Math.floor);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const missing = cases - counts.reduce((s, c) => s + c, 0);
  for (let k = 0; k < missing; k++) {
    const i = byRemainder[k % byRemainder.length]?.[1] ?? 0;
    counts[i] = (counts[i] ?? 0) + 1;
  }

  const slots: ReportSlot[] = [];
  days.forEach((d, i) => {
    const working = calendar.isWorkday(formatDay(d.day));
    const midnight = midnightOf(d.day).getTime();
    for (let n = 0; n < (counts[i] ?? 0); n++) {
      const channel = (working ? CHANNELS_WORKDAY : CHANNELS_OFF_DAY).pick(rng);
      let at = 0;
      // The channel's hour when it falls inside the day's part of the period, else anywhere in it.
      for (let tries = 0; tries < 12 && !(at >= d.from && at < d.to); tries++) {
        at = midnight + HOURS[channel].pick(rng) * HOUR_MS + rng.int(0, 3_599) * 1_000;
      }
      if (!(at >= d.from && at < d.to)) at = d.from + Math.floor(rng.next() * (d.to - d.from));
      slots.push({ at: new Date(at), channel });
    }
  });
  return slots.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Category pickers: one per month (topic weight × season × a little jitter), and one for sensor alarms. */
export function categoryPickers(
  rng: Rng,
  categories: readonly CategoryInfo[],
): { forMonth(month: number): WeightedPicker<CategoryInfo>; sensor: WeightedPicker<CategoryInfo> | undefined } {
  // Topics with many categories should not crowd out the rest: share a topic's weight among them.
  const perTopic = new Map<string, number>();
  for (const c of categories) perTopic.set(c.topic.name, (perTopic.get(c.topic.name) ?? 0) + 1);
  const base = categories.map((c) => {
    const jitter = rng.float(0.5, 1.5);
    const kind = c.kind === 'component' ? 0.6 : 1;
    return (c.topic.weight * jitter * kind) / Math.sqrt(perTopic.get(c.topic.name) ?? 1);
  });
  const months = Array.from(
    { length: 12 },
    (_, m) =>
      new WeightedPicker(categories.map((c, i) => [c, (base[i] ?? 1) * (c.topic.season?.[m + 1] ?? 1)] as const)),
  );
  const sensorCategories = categories.filter((c) => c.topic.sensor);
  return {
    forMonth: (month) => months[month - 1] as WeightedPicker<CategoryInfo>,
    sensor: sensorCategories.length ? new WeightedPicker(sensorCategories.map((c) => [c, 1] as const)) : undefined,
  };
}

/**
 * The instants the replayed clock stops at (to run the deadline sweep when a light is due), ending
 * with `end` itself: every half hour of a working day's office hours, a few times at night and on
 * other days. In production the sweep runs every minute; this is close enough for the lights.
 */
export function sweepInstants(calendar: WorkingCalendar, start: Date, end: Date): Date[] {
  const out: Date[] = [];
  const halfHours = Array.from({ length: 20 }, (_, i) => 8.5 + i / 2); // 08:30 … 18:00
  const working = [3, 6, ...halfHours, 20, 23];
  const other = [2, 6, 9, 12, 15, 18, 21];
  for (let day = dayNumberOf(start); day <= dayNumberOf(end); day++) {
    const hoursOfDay = calendar.isWorkday(formatDay(day)) ? working : other;
    for (const h of hoursOfDay) {
      const at = midnightOf(day).getTime() + h * HOUR_MS;
      if (at > start.getTime() && at < end.getTime()) out.push(new Date(at));
    }
  }
  out.push(end);
  return out;
}
