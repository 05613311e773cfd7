/**
 * The resident archive (民情档案): enums, limits and API shapes shared by the server and the web.
 * Words follow the glossary: person, household, building, dwelling, venue, tag; 一事一表 is a
 * "matter form", its filled copy a "matter record".
 */
import type { Gender } from './id-number.js';

export type { Gender };
export const GENDERS = ['male', 'female'] as const;
/** 户籍 / 流动人口. */
export const RESIDENCIES = ['registered', 'floating'] as const;
export type Residency = (typeof RESIDENCIES)[number];
export const POLITICAL_STATUSES = [
  'party_member',
  'probationary_member',
  'league_member',
  'democratic_party',
  'masses',
] as const;
export type PoliticalStatus = (typeof POLITICAL_STATUSES)[number];
export const PERSON_STATUSES = ['active', 'moved_out', 'deceased'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];
/** Relations between people (one row per direction; the inverse is written with it). */
export const PERSON_RELATIONS = [
  'spouse',
  'parent',
  'child',
  'sibling',
  'grandparent',
  'grandchild',
  'guardian',
  'ward',
  'other',
] as const;
export type PersonRelation = (typeof PERSON_RELATIONS)[number];
export const INVERSE_RELATION: Record<PersonRelation, PersonRelation> = {
  spouse: 'spouse',
  parent: 'child',
  child: 'parent',
  sibling: 'sibling',
  grandparent: 'grandchild',
  grandchild: 'grandparent',
  guardian: 'ward',
  ward: 'guardian',
  other: 'other',
};
/** A member's relation to the head of the household (与户主关系). */
export const MEMBER_RELATIONS = [
  'head',
  'spouse',
  'child',
  'child_in_law',
  'parent',
  'parent_in_law',
  'grandparent',
  'grandchild',
  'sibling',
  'other_relative',
  'non_relative',
] as const;
export type MemberRelation = (typeof MEMBER_RELATIONS)[number];
export const BUILDING_KINDS = ['residential', 'commercial', 'mixed', 'public', 'other'] as const;
export type BuildingKind = (typeof BUILDING_KINDS)[number];
export const OCCUPANCIES = ['owner_occupied', 'rented', 'lent', 'vacant', 'unknown'] as const;
export type Occupancy = (typeof OCCUPANCIES)[number];
export const VENUE_KINDS = [
  'shop',
  'restaurant',
  'school',
  'kindergarten',
  'clinic',
  'workshop',
  'warehouse',
  'hotel',
  'elderly_care',
  'entertainment',
  'other',
] as const;
export type VenueKind = (typeof VENUE_KINDS)[number];
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const TAG_SUBJECTS = ['person', 'household', 'both'] as const;
export type TagSubject = (typeof TAG_SUBJECTS)[number];
export const MATTER_FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'choice'] as const;
export type MatterFieldType = (typeof MATTER_FIELD_TYPES)[number];

/**
 * Why someone asks to see an ID number or phone in clear (查看明文的事由). The code is kept with
 * free text in the audit log; `other` needs the text to say it all.
 */
export const UNMASK_PURPOSES = [
  'contact',
  'identity_check',
  'benefit_review',
  'emergency',
  'case_handling',
  'other',
] as const;
export type UnmaskPurpose = (typeof UNMASK_PURPOSES)[number];
/** The purposes' names, as the web shows them and the export's watermark prints them. */
export const UNMASK_PURPOSE_NAMES: Record<UnmaskPurpose, { zh: string; en: string }> = {
  contact: { zh: '联系本人', en: 'Contact the person' },
  identity_check: { zh: '核实身份', en: 'Identity check' },
  benefit_review: { zh: '待遇审核', en: 'Benefit review' },
  emergency: { zh: '紧急情况', en: 'Emergency' },
  case_handling: { zh: '案件处置', en: 'Case handling' },
  other: { zh: '其他', en: 'Other' },
};
/** Length of the stated purpose's free text (characters). */
export const PURPOSE_TEXT_MIN = 4;
export const PURPOSE_TEXT_MAX = 200;

/** Personal fields that are masked unless unmasked with a purpose. */
export const MASKED_FIELDS = ['idNumber', 'phones'] as const;
export type MaskedField = (typeof MASKED_FIELDS)[number];

export const SEARCH_PAGE_SIZE_MAX = 100;
export const EXPORT_ROWS_MAX = 50_000;

/** Which fields a read showed (the read audit names them). */
export const PERSON_READ_FIELDS = [
  'name',
  'gender',
  'birthDate',
  'idNumber',
  'phones',
  'ethnicity',
  'residency',
  'politicalStatus',
  'work',
  'notes',
  'address',
  'tags',
  'relations',
  'household',
] as const;

export interface ArchiveUnitRef {
  id: string;
  code: string;
  name: string;
}

export interface TagView {
  id: string;
  type: { id: string; code: string; nameZh: string; nameEn: string };
  grade: number | null;
  sourceDepartment: { id: string; code: string; name: string } | null;
  validFrom: string;
  validTo: string | null;
  evidence: string;
  active: boolean;
}

export interface PersonAbilities {
  update: boolean;
  unmask: boolean;
  tag: boolean;
  readHistory: boolean;
}

/** A person as lists show them: masked. */
export interface PersonSummary {
  id: string;
  district: string;
  name: string;
  gender: Gender;
  birthDate: string;
  idNumber: string | null;
  phones: string[];
  masked: true;
  residency: Residency;
  status: PersonStatus;
  address: string;
  unit: ArchiveUnitRef;
  household: { id: string; relation: MemberRelation } | null;
  tags: { code: string; nameZh: string; nameEn: string }[];
  synthetic: boolean;
}

export interface PersonView extends Omit<PersonSummary, 'tags'> {
  /** `department`: seen through a department's tag grant, with DEPARTMENT_FIELDS only (others empty). */
  view: 'full' | 'department';
  ethnicity: string | null;
  /** Shown only where the person agreed (`politicalStatusShown`); otherwise null. */
  politicalStatus: PoliticalStatus | null;
  politicalStatusShown: boolean;
  work: string;
  notes: string;
  tags: TagView[];
  relations: { person: { id: string; name: string }; relation: PersonRelation }[];
  version: number;
  createdAt: string;
  updatedAt: string;
  abilities: PersonAbilities;
}

export interface UnmaskedPerson {
  id: string;
  idNumber: string | null;
  phones: string[];
  purpose: UnmaskPurpose;
  /** Until when the web may keep the clear values on screen. */
  showUntil: string;
}

export interface HouseholdMemberView {
  person: PersonSummary;
  relation: MemberRelation;
  joinedOn: string | null;
}

export interface HouseholdAbilities {
  update: boolean;
  tag: boolean;
  attach: boolean;
}

export interface HouseholdView {
  id: string;
  district: string;
  number: string | null;
  address: string;
  unit: ArchiveUnitRef;
  building: { id: string; name: string } | null;
  dwelling: { id: string; entrance: string; room: string } | null;
  notes: string;
  dissolvedAt: string | null;
  members: HouseholdMemberView[];
  tags: TagView[];
  attachments: { id: string; key: string; title: string; createdAt: string }[];
  synthetic: boolean;
  version: number;
  abilities: HouseholdAbilities;
}

/** How an entry of a person's access history touched them. */
export const ACCESS_VIA = [
  'detail',
  'list',
  'lookup',
  'household',
  'unmask',
  'export',
  'change',
  'history',
  'denied',
] as const;
export type AccessVia = (typeof ACCESS_VIA)[number];

export interface AccessHistoryEntry {
  at: string;
  action: string;
  actor: { kind: string; name: string | null; username: string | null };
  fields: string[];
  purpose: string | null;
  via: AccessVia;
}
