/**
 * The catalogue as Open311 services: every reportable minor category is a service (service_code =
 * its 4 digits, group = its major), realtime (a request is a case at once, so no service is batch
 * and no token is ever issued); its extra questions are the service definition's attributes.
 */
import {
  CATEGORY_KIND_LABELS,
  type CategoryKind,
  type CategoryQuestion,
  isListDatatype,
} from '../../common/catalogue.js';
import { selectReportable } from '../cases/catalogue/catalogue.repository.js';
import type { Db } from '../db/database.js';
import { list, type Rec } from './document.js';

export type Lang = 'zh' | 'en';

export interface ServiceRow {
  id: string;
  code: string;
  kind: CategoryKind;
  nameZh: string;
  nameEn: string;
  serviceNoticeZh: string | null;
  serviceNoticeEn: string | null;
  keywords: string[];
  questions: CategoryQuestion[];
  majorZh: string | null;
  majorEn: string | null;
}

function selectServices(db: Db) {
  return selectReportable(db)
    .select([
      'category.id',
      'category.code',
      'category.kind',
      'category.nameZh',
      'category.nameEn',
      'category.serviceNoticeZh',
      'category.serviceNoticeEn',
      'category.keywords',
      'category.questions',
    ])
    .select((eb) => {
      // The major's names by a subquery: a join would make the catalogue's own filters ambiguous.
      const major = (column: 'major.nameZh' | 'major.nameEn') =>
        eb
          .selectFrom('category as major')
          .select(column)
          .whereRef('major.majorCode', '=', 'category.majorCode')
          .where('major.code', 'like', '%00')
          .limit(1);
      return [major('major.nameZh').as('majorZh'), major('major.nameEn').as('majorEn')];
    })
    .orderBy('category.code');
}

export const listServices = (db: Db): Promise<ServiceRow[]> => selectServices(db).execute();

/** A service open to requests, by its code; undefined for unknown, disabled or major codes. */
export const findService = (db: Db, code: string): Promise<ServiceRow | undefined> =>
  selectServices(db).where('category.code', '=', code).executeTakeFirst();

const pick = (lang: Lang, zh: string | null, en: string | null) => (lang === 'en' ? en || zh : zh || en) ?? null;

export const serviceName = (s: Pick<ServiceRow, 'nameZh' | 'nameEn'>, lang: Lang) =>
  pick(lang, s.nameZh, s.nameEn) ?? '';

export const serviceNotice = (s: Pick<ServiceRow, 'serviceNoticeZh' | 'serviceNoticeEn'>, lang: Lang) =>
  pick(lang, s.serviceNoticeZh, s.serviceNoticeEn);

/** One `<service>` of GET services. */
export function presentService(s: ServiceRow, lang: Lang): Rec {
  const group = pick(lang, s.majorZh, s.majorEn);
  const kind = CATEGORY_KIND_LABELS[s.kind][lang];
  return {
    service_code: s.code,
    service_name: serviceName(s, lang),
    description: [kind, group, serviceName(s, lang)].filter(Boolean).join(' › '),
    metadata: s.questions.length > 0,
    type: 'realtime',
    keywords: s.keywords.join(', '),
    group,
  };
}

/** GET services/{code}: the questions as attributes, in their order. */
export function presentDefinition(s: ServiceRow, lang: Lang): Rec {
  const questions = [...s.questions].sort((a, b) => a.order - b.order);
  return {
    service_code: s.code,
    attributes: list(
      'attribute',
      questions.map((q) => ({
        variable: true,
        code: q.code,
        datatype: q.datatype,
        required: q.required,
        datatype_description: null,
        order: q.order,
        description: q.description[lang] || q.description.zh,
        // Only list questions offer values (an empty <values/> would read as null, not []).
        values: isListDatatype(q.datatype)
          ? list(
              'value',
              q.values.map((v) => ({ key: v.key, name: v.name[lang] || v.name.zh })),
            )
          : undefined,
      })),
    ),
  };
}
