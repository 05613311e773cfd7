/**
 * The synthetic resident archive (民情档案) of the demo subdistrict, as pure data: about 30,000
 * people in households, the buildings and dwellings they live in, the venues on their streets and
 * the tags the departments have put on them. Deterministic: the same seed, territory and reference
 * day give the same data on every machine. `seed-archive.ts` writes it into a database, every row
 * marked synthetic.
 *
 * Everything here is invented. Names read naturally and ID numbers carry valid check digits, so
 * screens and searches behave as with real data, but no row describes a real person: phones all lie
 * in the 1700 block (170 0xxx xxxx), which the demo never shares with a real account.
 */
import type {
  Gender,
  MemberRelation,
  Occupancy,
  PersonStatus,
  PoliticalStatus,
  Residency,
} from '../../../common/archive.js';
import type { DemoUnit } from '../demo-data.js';
import { roadsOf } from '../history/texts.js';
import { createRng, type Rng, WeightedPicker } from '../random.js';
import { type HouseholdKind, type HouseholdPlan, planGroupRental, planHousehold } from './households.js';
import { type BuildingPlan, type DwellingPlan, planBuildings, pointInCell } from './housing.js';
import { DEMO_REGION_CODE, IdNumberMaker, ORIGIN_REGIONS } from './id-numbers.js';
import { ethnicity, occupation, personName, surnameOf } from './names.js';
import { planTags, type TagPlan } from './tags.js';
import { planVenues, type VenuePlan } from './venues.js';

/** How many people the demo archive holds (about). */
export const DEMO_ARCHIVE_PEOPLE = 30_000;
/** Every synthetic phone number starts with this block. */
export const SYNTHETIC_PHONE_PREFIX = '1700';

export interface SynthPerson {
  household: number;
  relation: MemberRelation;
  name: string;
  gender: Gender;
  /** 'yyyy-mm-dd' */
  birthDate: string;
  /** Age in whole years on the reference day. */
  age: number;
  idNumber: string;
  phones: string[];
  ethnicity: string;
  residence: Residency;
  politicalStatus: PoliticalStatus;
  /** A party member who agrees to be shown as one (党员亮身份). */
  partyIdentityShown: boolean;
  occupation: string;
  /** The day the person came to live here ('yyyy-mm-dd'): birth, or a move. */
  since: string;
  status: PersonStatus;
  /** The day of moving out or of death. */
  statusChangedOn: string | null;
}

export interface SynthHousehold {
  grid: string;
  dwelling: number;
  kind: HouseholdKind;
  residence: Residency;
  /** People's indexes, the head first (the living: someone who died is no longer a member). */
  members: number[];
  address: string;
  /** The day the household came to live here. */
  since: string;
  /** The day it moved away (its members moved out with it). */
  dissolvedOn: string | null;
}

export interface SynthBuilding extends BuildingPlan {
  grid: string;
}

export interface SynthDwelling extends Omit<DwellingPlan, 'building'> {
  building: number;
  occupancy: Occupancy;
  groupRental: boolean;
  /** The owner: a person of the archive (owner-occupied), or a landlord living elsewhere. */
  owner: { person: number } | { name: string; phone: string } | null;
}

export interface SynthVenue extends VenuePlan {
  grid: string;
  contactName: string;
  contactPhone: string;
}

export interface ArchiveDemo {
  asOf: string;
  people: SynthPerson[];
  households: SynthHousehold[];
  buildings: SynthBuilding[];
  dwellings: SynthDwelling[];
  venues: SynthVenue[];
  tags: TagPlan[];
}

export interface GenerateArchiveOptions {
  seed: number;
  /** The demo's units (generateDemo().units): people live in its unit grids. */
  units: readonly DemoUnit[];
  /** The reference day: ages and dates are counted to it. */
  asOf: Date;
  /** About how many people (default 30,000). */
  people?: number;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A birth date making someone exactly `age` on `asOf` (both in China's time zone). */
function birthDateFor(rng: Rng, age: number, asOf: Date): string {
  const china = new Date(asOf.getTime() + 8 * 3_600_000);
  const [y, m, d] = [china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate()];
  const latest = Date.UTC(y - age, m, d);
  const earliest = Date.UTC(y - age - 1, m, d) + DAY_MS;
  return isoDay(earliest + rng.int(0, Math.round((latest - earliest) / DAY_MS)) * DAY_MS);
}

/** Phone numbers in the synthetic block, never twice. */
class PhoneMaker {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}
  make(): string {
    for (;;) {
      const phone = SYNTHETIC_PHONE_PREFIX + String(this.rng.int(0, 9_999_999)).padStart(7, '0');
      if (!this.used.has(phone)) {
        this.used.add(phone);
        return phone;
      }
    }
  }
}

function politics(rng: Rng, age: number): { status: PoliticalStatus; shown: boolean } {
  const party = age < 18 ? 0 : age < 35 ? 0.06 : age < 60 ? 0.1 : 0.15;
  if (rng.chance(party)) return { status: 'party_member', shown: rng.chance(0.7) };
  if (age >= 14 && age <= 28 && rng.chance(0.35)) return { status: 'league_member', shown: false };
  return { status: 'masses', shown: false };
}

function phoneCount(rng: Rng, age: number): number {
  if (age < 12) return 0;
  if (age < 18) return rng.chance(0.6) ? 1 : 0;
  if (age >= 75) return rng.chance(0.65) ? 1 : 0;
  return rng.chance(age >= 25 && age < 60 ? 0.08 : 0.02) ? 2 : rng.chance(0.97) ? 1 : 0;
}

const originRegions = new WeightedPicker(ORIGIN_REGIONS);

/**
 * A year of departures, so the monthly analysis has changes to show: about one floating household in
 * twenty moved away (its flat stands empty now), and a few of the oldest people died.
 */
function markDepartures(rng: Rng, demo: ArchiveDemo, now: number): void {
  const recently = (after: string) => {
    const day = isoDay(now - rng.int(1, 365) * DAY_MS);
    return day > after ? day : null;
  };
  for (const h of demo.households) {
    if (h.residence !== 'floating' || h.kind === 'group_rental' || !rng.chance(0.05)) continue;
    const on = recently(h.since);
    if (!on) continue;
    h.dissolvedOn = on;
    const dwelling = demo.dwellings[h.dwelling];
    if (dwelling) dwelling.occupancy = 'vacant';
    for (const m of h.members) {
      const person = demo.people[m] as SynthPerson;
      person.status = 'moved_out';
      person.statusChangedOn = on;
    }
  }
  demo.people.forEach((p, index) => {
    if (p.age < 78 || p.relation === 'head' || p.status !== 'active' || !rng.chance(0.04)) return;
    const on = recently(p.since);
    const household = demo.households[p.household] as SynthHousehold;
    if (!on) return;
    p.status = 'deceased';
    p.statusChangedOn = on;
    household.members = household.members.filter((m) => m !== index);
  });
}

/** The synthetic archive for a seed, territory and reference day. */
export function generateArchive(options: GenerateArchiveOptions): ArchiveDemo {
  const rng = createRng(options.seed).fork('archive');
  const ids = new IdNumberMaker(rng.fork('id numbers'));
  const phones = new PhoneMaker(rng.fork('phones'));
  const asOf = options.asOf;
  const now = asOf.getTime();
  const committees = options.units.filter((u) => u.level === 'community');
  const grids = options.units.filter((u) => u.level === 'grid' && u.geometry?.type === 'Polygon');
  const density = rng.fork('density');
  const weights = grids.map(() => density.float(0.6, 1.4));
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const target = options.people ?? DEMO_ARCHIVE_PEOPLE;
  const lanes = new Map<string, Set<number>>();
  const demo: ArchiveDemo = {
    asOf: isoDay(now),
    people: [],
    households: [],
    buildings: [],
    dwellings: [],
    venues: [],
    tags: [],
  };

  grids.forEach((grid, g) => {
    const r = rng.fork(`grid ${grid.code}`);
    const committeeIndex = committees.findIndex((c) => grid.code.startsWith(c.code));
    const roads = roadsOf(Math.max(0, committeeIndex));
    const ring = grid.geometry?.type === 'Polygon' ? (grid.geometry.coordinates[0] ?? []) : [];
    const people = Math.round((target * (weights[g] as number)) / totalWeight);

    // Households until the grid's share of people lives here; a few group rentals among them.
    const families: HouseholdPlan[] = [];
    let count = 0;
    while (count < people) {
      const plan = planHousehold(r);
      families.push(plan);
      count += plan.members.length;
    }
    const rentals = Array.from({ length: r.int(0, 3) }, () => planGroupRental(r));
    const occupied = families.length + rentals.length;
    const housing = planBuildings(r, ring, roads, Math.ceil(occupied / r.float(0.93, 0.97)), lanes);
    const firstBuilding = demo.buildings.length;
    const firstDwelling = demo.dwellings.length;
    for (const b of housing.buildings) demo.buildings.push({ ...b, grid: grid.code });
    for (const d of housing.dwellings) {
      demo.dwellings.push({
        ...d,
        building: firstBuilding + d.building,
        occupancy: 'vacant',
        groupRental: false,
        owner: null,
      });
    }
    // Group rentals go into walk-ups (where they are found in practice), families anywhere.
    const order = r.shuffled(housing.dwellings.map((_, i) => firstDwelling + i));
    const walkUps = order.filter(
      (i) => demo.buildings[(demo.dwellings[i] as SynthDwelling).building]?.kind === 'walk_up',
    );
    const taken = new Set<number>();
    const landlord = () => ({
      name: personName(r, r.chance(0.5) ? 'male' : 'female', r.int(1945, 1990)),
      phone: phones.make(),
    });

    const place = (plan: HouseholdPlan, dwelling: number, groupRental: boolean) => {
      const d = demo.dwellings[dwelling] as SynthDwelling;
      const building = demo.buildings[d.building] as SynthBuilding;
      const index = demo.households.length;
      const household: SynthHousehold = {
        grid: grid.code,
        dwelling,
        kind: plan.kind,
        residence: plan.residence,
        members: [],
        address: `${building.address}${d.unit ?? ''}${d.room}室`,
        since: isoDay(now - r.int(20, plan.residence === 'floating' ? 5 * 365 : 30 * 365) * DAY_MS),
        dissolvedOn: null,
      };
      demo.households.push(household);
      const firstPerson = demo.people.length;
      const surnames: string[] = [];
      plan.members.forEach((m) => {
        const birthDate = birthDateFor(r, m.age, asOf);
        const birthYear = Number(birthDate.slice(0, 4));
        const inherited = m.surnameOf !== undefined && r.chance(0.92) ? surnames[m.surnameOf] : undefined;
        const name = personName(r, m.gender, birthYear, inherited);
        surnames.push(surnameOf(name));
        // The household's floating members come from one place; a registered family was registered here.
        const region =
          plan.residence === 'registered'
            ? DEMO_REGION_CODE
            : (demo.people[firstPerson]?.idNumber.slice(0, 6) ?? originRegions.pick(r));
        const { status, shown } = politics(r, m.age);
        const since =
          Date.parse(`${birthDate}T00:00:00Z`) > Date.parse(`${household.since}T00:00:00Z`)
            ? birthDate
            : household.since;
        demo.people.push({
          household: index,
          relation: m.relation,
          name,
          gender: m.gender,
          birthDate,
          age: m.age,
          idNumber: ids.make(region, birthDate, m.gender),
          phones: Array.from({ length: phoneCount(r, m.age) }, () => phones.make()),
          ethnicity: ethnicity(r),
          residence: plan.residence,
          politicalStatus: status,
          partyIdentityShown: shown,
          occupation: occupation(r, m.age, m.gender),
          since,
          status: 'active',
          statusChangedOn: null,
        });
        household.members.push(demo.people.length - 1);
      });
      taken.add(dwelling);
      if (groupRental) {
        d.occupancy = 'rented';
        d.groupRental = true;
        d.owner ??= landlord();
        return;
      }
      const owns = r.chance(plan.residence === 'registered' ? 0.85 : 0.08);
      d.occupancy = owns ? 'owner_occupied' : 'rented';
      d.owner = owns ? { person: firstPerson } : landlord();
    };

    for (const tenants of rentals) {
      const dwelling = walkUps.find((i) => !taken.has(i)) ?? order.find((i) => !taken.has(i));
      if (dwelling === undefined) break;
      for (const tenant of tenants) place(tenant, dwelling, true);
    }
    const free = order.filter((i) => !taken.has(i));
    families.forEach((plan, k) => {
      const dwelling = free[k];
      if (dwelling !== undefined) place(plan, dwelling, false);
    });

    const venues = planVenues(r, r.int(4, 14), roads, DEMO_REGION_CODE, Number(demo.asOf.slice(0, 4)), (v) =>
      pointInCell(v, ring),
    );
    for (const v of venues) {
      demo.venues.push({
        ...v,
        grid: grid.code,
        contactName: personName(r, r.chance(0.55) ? 'male' : 'female', r.int(1960, 1998)),
        contactPhone: phones.make(),
      });
    }
  });

  markDepartures(rng.fork('departures'), demo, now);
  // A death that left one member: the survivor has lived alone since that day.
  const aloneSince = new Map<number, string>();
  for (const p of demo.people) {
    const h = demo.households[p.household];
    if (p.status === 'deceased' && p.statusChangedOn && h?.members.length === 1)
      aloneSince.set(p.household, p.statusChangedOn);
  }
  const living = demo.people.flatMap((p, index) => (p.status === 'active' ? [{ p, index }] : []));
  demo.tags = planTags(
    rng.fork('tags'),
    living.map(({ p, index }) => ({
      index,
      age: p.age,
      gender: p.gender,
      birthDate: p.birthDate,
      household: p.household,
      relation: p.relation,
    })),
    demo.households.map((h, index) => ({
      index,
      registered: h.residence === 'registered',
      members: h.members,
      aloneSince: aloneSince.get(index),
    })),
    asOf,
  );
  return demo;
}
