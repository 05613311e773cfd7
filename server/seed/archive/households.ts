/**
 * Synthetic households (户) and their members: a household kind drawn by how common it is in a
 * central Shanghai neighbourhood (old people living alone or as a couple, young tenants, couples
 * with one child, three generations under one roof …), then the members' relations to the head
 * with ages that fit them — a spouse within a few years of the head, a child born when the mother
 * was 22–40, the head's parents 22–40 years older. The population's age pyramid follows from the
 * kinds' weights: about a quarter of the people are 60 or older, as in Xuhui.
 */
import type { Gender, MemberRelation, Residency } from '../../../common/archive.js';
import { type Rng, WeightedPicker } from '../random.js';

export type HouseholdKind =
  | 'elderly_alone'
  | 'elderly_couple'
  | 'young_single'
  | 'single'
  | 'couple'
  | 'couple_one_child'
  | 'couple_two_children'
  | 'three_generations'
  | 'grandparents_grandchild'
  | 'single_parent'
  | 'group_rental';

/** A member before it has a name: who they are to the head. */
export interface MemberPlan {
  relation: MemberRelation;
  gender: Gender;
  age: number;
  /** Index of the member whose surname this one carries (a child its father's), or none: drawn. */
  surnameOf?: number;
}

export interface HouseholdPlan {
  kind: HouseholdKind;
  residence: Residency;
  /** Members, the head first. */
  members: MemberPlan[];
}

/** Households per kind (per thousand), tuned so the average household has about 2.5 people. */
const KINDS = new WeightedPicker<HouseholdKind>([
  ['elderly_alone', 55],
  ['elderly_couple', 140],
  ['young_single', 105],
  ['single', 45],
  ['couple', 100],
  ['couple_one_child', 265],
  ['couple_two_children', 65],
  ['three_generations', 120],
  ['grandparents_grandchild', 20],
  ['single_parent', 50],
]);

/** Share of registered (户籍) households by kind; the rest are floating (流动). */
const REGISTERED_SHARE: Record<HouseholdKind, number> = {
  elderly_alone: 0.97,
  elderly_couple: 0.95,
  young_single: 0.3,
  single: 0.55,
  couple: 0.6,
  couple_one_child: 0.75,
  couple_two_children: 0.6,
  three_generations: 0.9,
  grandparents_grandchild: 0.92,
  single_parent: 0.75,
  group_rental: 0,
};

const clamp = (x: number, min: number, max: number) => Math.max(min, Math.min(max, Math.round(x)));

/** The other partner of a couple: opposite gender, a few years apart (husbands a little older on average). */
function spouseOf(rng: Rng, head: MemberPlan): MemberPlan {
  const gender: Gender = head.gender === 'male' ? 'female' : 'male';
  const gap = rng.normal(head.gender === 'male' ? -2 : 2, 3);
  const minimum = gender === 'male' ? 22 : 20;
  const age = clamp(head.age + gap, Math.max(minimum, head.age - 10), Math.min(98, head.age + 10));
  return { relation: 'spouse', gender, age };
}

/** A child of a couple (or a single parent): born when its mother (or the parent) was 22–40. */
function childOf(rng: Rng, members: MemberPlan[], relation: 'child' | 'grandchild', parents: number[]): MemberPlan {
  const mother = parents.map((i) => members[i] as MemberPlan).find((m) => m.gender === 'female');
  const youngest = Math.min(...parents.map((i) => (members[i] as MemberPlan).age));
  const reference = mother?.age ?? youngest;
  const age = Math.max(0, reference - rng.int(22, 40));
  const father = parents.find((i) => (members[i] as MemberPlan).gender === 'male');
  return {
    relation,
    gender: rng.chance(0.515) ? 'male' : 'female',
    age: Math.min(age, youngest - 18),
    surnameOf: father ?? parents[0],
  };
}

/** A household of the given kind (drawn when absent). Ages are whole years at the reference date. */
export function planHousehold(rng: Rng, kind: HouseholdKind = KINDS.pick(rng)): HouseholdPlan {
  const residence: Residency = rng.chance(REGISTERED_SHARE[kind]) ? 'registered' : 'floating';
  const adult = (min: number, max: number, maleShare: number): MemberPlan => ({
    relation: 'head',
    gender: rng.chance(maleShare) ? 'male' : 'female',
    age: rng.int(min, max),
  });
  const members: MemberPlan[] = [];
  switch (kind) {
    case 'elderly_alone':
      // Mostly widows: women outlive their husbands.
      members.push(adult(62, 96, 0.32));
      break;
    case 'elderly_couple': {
      const head = adult(60, 92, 0.72);
      members.push(head, spouseOf(rng, head));
      break;
    }
    case 'young_single':
      members.push(adult(20, 35, 0.56));
      break;
    case 'group_rental':
      members.push({ ...adult(19, 48, 0.62), relation: 'head' });
      break;
    case 'single':
      members.push(adult(36, 59, 0.55));
      break;
    case 'couple': {
      const head = adult(24, 59, 0.66);
      members.push(head, spouseOf(rng, head));
      break;
    }
    case 'couple_one_child':
    case 'couple_two_children': {
      const head = adult(kind === 'couple_one_child' ? 27 : 31, kind === 'couple_one_child' ? 64 : 52, 0.66);
      members.push(head, spouseOf(rng, head));
      const children = kind === 'couple_one_child' ? 1 : 2;
      for (let c = 0; c < children; c++) members.push(childOf(rng, members, 'child', [0, 1]));
      break;
    }
    case 'three_generations': {
      const head = adult(30, 56, 0.66);
      members.push(head, spouseOf(rng, head));
      members.push(childOf(rng, members, 'child', [0, 1]));
      if (rng.chance(0.25)) members.push(childOf(rng, members, 'child', [0, 1]));
      // The head's parents (sometimes only one of them).
      const father: MemberPlan = {
        relation: 'parent',
        gender: 'male',
        age: Math.min(98, head.age + rng.int(24, 38)),
        surnameOf: head.gender === 'male' ? 0 : undefined,
      };
      const mother: MemberPlan = {
        relation: 'parent',
        gender: 'female',
        age: Math.min(98, father.age - rng.int(0, 5)),
      };
      mother.age = Math.max(mother.age, head.age + 22);
      const roll = rng.next();
      if (roll < 0.45) members.push(father, mother);
      else if (roll < 0.7) members.push(father);
      else members.push(mother);
      break;
    }
    case 'grandparents_grandchild': {
      // Grandparents raising a grandchild whose parents work elsewhere (or abroad).
      const head = adult(56, 75, 0.7);
      members.push(head, spouseOf(rng, head));
      const grandchildAge = rng.int(1, 15);
      members.push({
        relation: 'grandchild',
        gender: rng.chance(0.515) ? 'male' : 'female',
        age: Math.min(grandchildAge, Math.min(head.age, (members[1] as MemberPlan).age) - 40),
        surnameOf: rng.chance(0.7) ? (head.gender === 'male' ? 0 : 1) : undefined,
      });
      break;
    }
    case 'single_parent': {
      members.push(adult(28, 55, 0.25));
      members.push(childOf(rng, members, 'child', [0]));
      break;
    }
  }
  return { kind, residence, members };
}

/** A group rental (群租): several unrelated tenants, each a household of one. */
export function planGroupRental(rng: Rng): HouseholdPlan[] {
  return Array.from({ length: rng.int(3, 6) }, () => planHousehold(rng, 'group_rental'));
}
