/**
 * Kysely's view of the resident archive's tables (migration 0016), merged into `Database` by
 * server/db/schema.ts. Dates (`date` columns) come back as YYYY-MM-DD strings.
 */
import type { ColumnType, Generated, GeneratedAlways, JSONColumnType } from 'kysely';
import type {
  BuildingKind,
  Gender,
  MatterFieldType,
  MemberRelation,
  Occupancy,
  PersonRelation,
  PersonStatus,
  PoliticalStatus,
  Residency,
  RiskLevel,
  TagSubject,
  VenueKind,
} from '../../common/archive.js';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Grams = GeneratedAlways<string[]>;

export interface TagTypeTable {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  appliesTo: TagSubject;
  graded: Generated<boolean>;
  builtIn: Generated<boolean>;
  disabled: Generated<boolean>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** One department may see people and households carrying tags of one type. */
export interface TagGrantTable {
  tagTypeId: string;
  departmentId: string;
  grantedBy: string | null;
  createdAt: Timestamp;
}

export interface BuildingTable {
  district: string;
  id: string;
  unitId: string;
  unitPath: string;
  name: string;
  address: string;
  kind: Generated<BuildingKind>;
  geometry: JSONColumnType<BuildingGeometry | null, string | null, string | null>;
  lng: number | null;
  lat: number | null;
  floors: number | null;
  entrances: number | null;
  synthetic: Generated<boolean>;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export type BuildingGeometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'Polygon'; coordinates: [number, number][][] };

export interface DwellingTable {
  district: string;
  id: string;
  buildingId: string;
  unitPath: string;
  entrance: Generated<string>;
  room: string;
  floor: number | null;
  areaM2: ColumnType<string | null, number | string | null, number | string | null>;
  ownerPersonId: string | null;
  ownerName: string | null;
  ownerPhone: string | null;
  tenantPersonId: string | null;
  tenantName: string | null;
  tenantPhone: string | null;
  occupancy: Generated<Occupancy>;
  groupRental: Generated<boolean>;
  synthetic: Generated<boolean>;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface HouseholdTable {
  district: string;
  id: string;
  unitId: string;
  unitPath: string;
  number: string | null;
  address: string;
  addressGrams: Grams;
  buildingId: string | null;
  dwellingId: string | null;
  notes: Generated<string>;
  dissolvedAt: Date | null;
  synthetic: Generated<boolean>;
  version: Generated<number>;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface PersonTable {
  district: string;
  id: string;
  unitId: string;
  unitPath: string;
  name: string;
  /** Full pinyin without tones or spaces, lower-case (pinyin.ts). */
  namePinyin: string;
  /** First letters of each syllable, lower-case. */
  nameInitials: string;
  nameGrams: Grams;
  gender: Gender;
  birthDate: string;
  /** Normalized (upper-case X); unique per district. */
  idNumber: string | null;
  phones: Generated<string[]>;
  ethnicity: string | null;
  residency: Generated<Residency>;
  politicalStatus: PoliticalStatus | null;
  politicalStatusShown: Generated<boolean>;
  work: Generated<string>;
  notes: Generated<string>;
  address: Generated<string>;
  addressGrams: Grams;
  status: Generated<PersonStatus>;
  statusChangedAt: Date | null;
  synthetic: Generated<boolean>;
  version: Generated<number>;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface PersonRelationTable {
  district: string;
  personId: string;
  relatedId: string;
  relation: PersonRelation;
  createdAt: Timestamp;
}

export interface HouseholdMemberTable {
  district: string;
  householdId: string;
  personId: string;
  relation: MemberRelation;
  joinedOn: string | null;
  createdAt: Timestamp;
}

export interface VenueLicence {
  kind: string;
  number: string;
  validTo: string | null;
}

export interface VenueContact {
  name: string;
  phone: string;
  role: string;
}

export interface VenueTable {
  district: string;
  id: string;
  unitId: string;
  unitPath: string;
  buildingId: string | null;
  name: string;
  nameGrams: Grams;
  kind: VenueKind;
  address: string;
  lng: number | null;
  lat: number | null;
  licences: JSONColumnType<VenueLicence[], string, string>;
  contacts: JSONColumnType<VenueContact[], string, string>;
  riskLevel: Generated<RiskLevel>;
  notes: Generated<string>;
  closedAt: Date | null;
  synthetic: Generated<boolean>;
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

interface TagColumns {
  district: string;
  id: string;
  tagTypeId: string;
  grade: number | null;
  sourceDepartmentId: string | null;
  validFrom: string;
  validTo: string | null;
  evidence: Generated<string>;
  evidenceKeys: Generated<string[]>;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface PersonTagTable extends TagColumns {
  personId: string;
}

export interface HouseholdTagTable extends TagColumns {
  householdId: string;
}

export interface MatterField {
  key: string;
  labelZh: string;
  labelEn: string;
  type: MatterFieldType;
  required: boolean;
  options?: string[] | undefined;
}

export interface MatterFormTable {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  appliesTo: TagSubject;
  fields: JSONColumnType<MatterField[], string, string>;
  version: Generated<number>;
  disabled: Generated<boolean>;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface MatterRecordTable {
  district: string;
  id: string;
  formId: string;
  formVersion: number;
  personId: string | null;
  householdId: string | null;
  unitPath: string;
  answers: JSONColumnType<Record<string, string | number | boolean | null>, string, string>;
  createdBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface HouseholdAttachmentTable {
  district: string;
  id: string;
  householdId: string;
  photoId: string;
  key: string;
  title: string;
  createdBy: string | null;
  createdAt: Timestamp;
}

/**
 * Per record, field and source (a department's id, or `archive` for values entered by hand): the
 * value the source last gave and the day it was true (migration 0019, imports/provenance.ts).
 */
export interface ArchiveSourceTable {
  district: string;
  subject: 'person' | 'household' | 'venue';
  subjectId: string;
  field: string;
  source: string;
  asOf: ColumnType<string, string, string>;
  value: string | null;
  importRunId: string | null;
  updatedAt: Timestamp;
}

/** The archive's tables, keyed as Kysely names them. */
export interface ArchiveTables {
  tagType: TagTypeTable;
  tagGrant: TagGrantTable;
  building: BuildingTable;
  dwelling: DwellingTable;
  household: HouseholdTable;
  person: PersonTable;
  personRelation: PersonRelationTable;
  householdMember: HouseholdMemberTable;
  venue: VenueTable;
  personTag: PersonTagTable;
  householdTag: HouseholdTagTable;
  matterForm: MatterFormTable;
  matterRecord: MatterRecordTable;
  householdAttachment: HouseholdAttachmentTable;
  archiveSource: ArchiveSourceTable;
}
