/**
 * Tags (标签) of the synthetic archive, at rates near those of a central Shanghai subdistrict: every
 * person of 60 or more living alone is an elderly person living alone (独居老人); about 2.5 % of
 * people hold a disability card (残疾, grades 1–4, more often with age); about 1 % of registered
 * households receive the minimum income (低保) and 1 % more are low-income (低收入); veterans and
 * martyrs' families receive preferential care (优抚); children of minimum-income households or of a
 * severely disabled parent, and a few others, are children in difficulty (困境儿童).
 */
import type { Rng } from '../random.js';

export type TagKind =
  | 'elderly_alone'
  | 'disability'
  | 'minimum_income'
  | 'low_income'
  | 'preferential_care'
  | 'child_in_difficulty';

/** The department (by kind) that certifies each tag. */
export const TAG_SOURCE: Record<TagKind, string> = {
  elderly_alone: 'civil_affairs',
  disability: 'civil_affairs',
  minimum_income: 'civil_affairs',
  low_income: 'civil_affairs',
  preferential_care: 'civil_affairs',
  child_in_difficulty: 'civil_affairs',
};

export const DISABILITY_KINDS = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'] as const;

export interface TagPlan {
  kind: TagKind;
  /** A person's index, or a household's (minimum and low income are granted to a household). */
  person?: number;
  household?: number;
  /** Disability grade 1 (most severe) – 4. */
  grade?: number;
  /** Disability kind (视力 … 多重). */
  detail?: string;
  validFrom: string;
  validTo: string | null;
  evidence: string;
}

export interface TaggedPerson {
  index: number;
  age: number;
  gender: 'male' | 'female';
  birthDate: string;
  household: number;
  relation: string;
}

export interface TaggedHousehold {
  index: number;
  registered: boolean;
  members: number[];
  /** The day its last other member died ('yyyy-mm-dd'), if that left someone alone. */
  aloneSince?: string | undefined;
}

const DAY_MS = 86_400_000;
const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/** Disability rate by age (share of people holding a card). */
function disabilityRate(age: number): number {
  if (age < 18) return 0.006;
  if (age < 60) return 0.018;
  if (age < 80) return 0.045;
  return 0.09;
}

/** The tags of a data set; `asOf` is the reference instant (tags started before it). */
export function planTags(
  rng: Rng,
  people: readonly TaggedPerson[],
  households: readonly TaggedHousehold[],
  asOf: Date,
): TagPlan[] {
  const now = asOf.getTime();
  const since = (minDays: number, maxDays: number) => day(now - rng.int(minDays, maxDays) * DAY_MS);
  const tags: TagPlan[] = [];
  const severe = new Set<number>();
  const poor = new Set<number>();

  // 低保 and 低收入 are granted for a year at a time: some began this year, some were not renewed.
  const grant = (maxYears: number) => {
    const from = rng.chance(0.3) ? rng.int(20, 365) : rng.int(366, maxYears * 365);
    const lapsed = rng.chance(0.2) && from > 60;
    const to = lapsed ? now - rng.int(1, Math.min(from - 1, 365)) * DAY_MS : now + rng.int(15, 365) * DAY_MS;
    return { validFrom: day(now - from * DAY_MS), validTo: day(to) };
  };
  for (const h of households) {
    if (!h.registered) continue;
    const roll = rng.next();
    // 低保 and 低收入 are reviewed every year: valid to a date within the coming year.
    if (roll < 0.011) {
      poor.add(h.index);
      tags.push({
        kind: 'minimum_income',
        household: h.index,
        ...grant(6),
        evidence: `最低生活保障审批表（${rng.pick(['第一批', '第二批', '第三批', '第四批'])}）`,
      });
    } else if (roll < 0.021) {
      tags.push({
        kind: 'low_income',
        household: h.index,
        ...grant(4),
        evidence: '低收入家庭认定通知书',
      });
    }
  }

  for (const p of people) {
    if (p.age >= 60) {
      const h = households[p.household];
      if (h && h.members.length === 1) {
        tags.push({
          kind: 'elderly_alone',
          person: p.index,
          // Alone since a spouse died, or for years.
          validFrom: h.aloneSince ?? since(30, Math.min(15, p.age - 59) * 365),
          validTo: null,
          evidence: '网格员走访核实',
        });
      }
    }
    if (rng.chance(disabilityRate(p.age))) {
      const grade = rng.int(1, 4);
      if (grade <= 2) severe.add(p.household);
      const born = Date.parse(`${p.birthDate}T00:00:00Z`);
      const from = Math.max(born + 3 * 365 * DAY_MS, now - rng.int(60, 20 * 365) * DAY_MS);
      tags.push({
        kind: 'disability',
        person: p.index,
        grade,
        detail: rng.pick(DISABILITY_KINDS),
        validFrom: day(Math.min(from, now - DAY_MS)),
        validTo: null,
        evidence: '残疾人证（第二代）',
      });
    }
    // Veterans and martyrs' families: mostly older men.
    if (p.age >= 38 && rng.chance(p.gender === 'male' ? 0.009 : 0.002)) {
      tags.push({
        kind: 'preferential_care',
        person: p.index,
        validFrom: since(365, 20 * 365),
        validTo: null,
        evidence: rng.pick(['退役军人优待证', '烈属证明', '伤残军人证']),
      });
    }
  }

  for (const p of people) {
    if (p.age >= 18 || p.relation === 'head' || p.relation === 'spouse') continue;
    const inNeed =
      (poor.has(p.household) && rng.chance(0.5)) || (severe.has(p.household) && rng.chance(0.4)) || rng.chance(0.002);
    if (!inNeed) continue;
    const born = Date.parse(`${p.birthDate}T00:00:00Z`);
    const eighteen = new Date(born);
    eighteen.setUTCFullYear(eighteen.getUTCFullYear() + 18);
    tags.push({
      kind: 'child_in_difficulty',
      person: p.index,
      validFrom: day(Math.max(born, now - rng.int(30, 5 * 365) * DAY_MS)),
      validTo: eighteen.toISOString().slice(0, 10),
      evidence: '困境儿童认定表',
    });
  }
  return tags;
}
