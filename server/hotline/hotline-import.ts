/**
 * The hotline's work orders as a kind of import: their fields, the codes a district's mapping may
 * translate to (reportable categories, the district's units down to committees, urgencies), and
 * each mapped row received as an order (commands/receive-order.ts).
 */
import { URGENCIES, type Urgency } from '../../common/cases.js';
import { HOTLINE_FIELDS } from '../../common/hotline.js';
import { selectReportable } from '../cases/catalogue/catalogue.repository.js';
import type { Db } from '../db/database.js';
import type { CodeChoices, ImportKind } from '../imports/import-kind.js';
import { receiveOrder } from './commands/receive-order.js';
import { orderOf } from './hotline-order.js';

export const HOTLINE_KIND = 'hotline';

const URGENCY_LABELS: Record<Urgency, { zh: string; en: string }> = {
  normal: { zh: '一般', en: 'Normal' },
  urgent: { zh: '紧急', en: 'Urgent' },
  emergency: { zh: '特急', en: 'Emergency' },
};

/** The units an order may be forwarded to: the district's, down to residents' committees. */
const UNIT_LEVELS = ['district', 'subdistrict', 'community'] as const;

async function hotlineCodes(db: Db, district: string): Promise<CodeChoices> {
  const [categories, units] = await Promise.all([
    selectReportable(db).select(['code', 'nameZh', 'nameEn']).orderBy('code').execute(),
    db
      .selectFrom('unit')
      .select(['code', 'name'])
      .where('district', '=', district)
      .where('level', 'in', UNIT_LEVELS)
      .orderBy('path')
      .execute(),
  ]);
  return {
    category: categories.map((c) => ({ code: c.code, label: { zh: c.nameZh, en: c.nameEn } })),
    unit: units.map((u) => ({ code: u.code, label: { zh: u.name, en: u.name } })),
    urgency: URGENCIES.map((u) => ({ code: u, label: URGENCY_LABELS[u] })),
  };
}

export const hotlineImport: ImportKind = {
  kind: HOTLINE_KIND,
  fields: HOTLINE_FIELDS,
  keyField: 'orderNumber',
  oneOf: [['address'], ['lng', 'lat']],
  codes: hotlineCodes,
  async write(ctx, record, cells) {
    const answer = await receiveOrder(
      {
        db: ctx.db,
        locator: ctx.locator,
        district: ctx.run.district,
        scopePath: ctx.run.scopePath,
        actorName: `12345 导入 Import · ${ctx.run.createdByName}`,
      },
      { order: orderOf(record), cells, source: { kind: 'import', runId: ctx.run.id } },
    );
    return { outcome: answer.outcome, recordId: answer.caseId };
  },
};
