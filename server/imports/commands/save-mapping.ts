/**
 * Saving a mapping: checked against its kind and the district's codes, unique by name in the
 * district, at most one default per district and kind (making one the default unmarks the other),
 * audited in the same transaction.
 */
import { v7 as uuidv7 } from 'uuid';
import { type AuditContext, writeAudit } from '../../audit/audit.writer.js';
import type { Db, Trx } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { ImportKind } from '../import-kind.js';
import { checkMapping, type MappingRules, toStored } from '../import-mapping.js';

export interface SaveMappingProps {
  kind: ImportKind;
  /** The district and its root path. */
  district: { code: string; path: string };
  name: string;
  isDefault: boolean;
  rules: MappingRules;
  createdBy: string | null;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

async function unmarkDefault(trx: Trx, district: string, kind: string, except: string) {
  await trx
    .updateTable('importMapping')
    .set({ isDefault: false })
    .where('district', '=', district)
    .where('kind', '=', kind)
    .where('isDefault', '=', true)
    .where('id', '!=', except)
    .execute();
}

/** Creates a mapping, or (with `id`) replaces the one with that id; returns its id. */
export async function saveMapping(db: Db, who: AuditContext, props: SaveMappingProps, id?: string): Promise<string> {
  const choices = await props.kind.codes(db, props.district.code);
  const rules = toStored(checkMapping(props.kind, choices, props.rules));
  const mappingId = id ?? uuidv7();
  try {
    await db.transaction().execute(async (trx) => {
      if (props.isDefault) await unmarkDefault(trx, props.district.code, props.kind.kind, mappingId);
      const values = {
        name: props.name,
        isDefault: props.isDefault,
        columns: JSON.stringify(rules.columns),
        valueMap: JSON.stringify(rules.values),
        updatedAt: new Date(),
      };
      if (id) {
        const updated = await trx
          .updateTable('importMapping')
          .set(values)
          .where('district', '=', props.district.code)
          .where('id', '=', id)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) throw new AppError('NOT_FOUND');
      } else {
        await trx
          .insertInto('importMapping')
          .values({
            ...values,
            district: props.district.code,
            id: mappingId,
            kind: props.kind.kind,
            unitPath: props.district.path,
            createdBy: props.createdBy,
          })
          .execute();
      }
      await writeAudit(
        trx,
        who,
        {
          action: id ? 'import_mapping.updated' : 'import_mapping.created',
          data: { kind: props.kind.kind, name: props.name },
        },
        { type: 'import_mapping', id: mappingId, district: props.district.code },
      );
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('IMPORT_MAPPING_NAME_TAKEN', { fields: [{ path: 'body.name', reason: 'taken' }] });
    throw error;
  }
  return mappingId;
}

/** Deletes a mapping. Runs keep the copy they were read with. */
export async function deleteMapping(
  db: Db,
  who: AuditContext,
  mapping: { district: string; id: string; kind: string; name: string },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('importMapping')
      .where('district', '=', mapping.district)
      .where('id', '=', mapping.id)
      .execute();
    await writeAudit(
      trx,
      who,
      { action: 'import_mapping.deleted', data: { kind: mapping.kind, name: mapping.name } },
      { type: 'import_mapping', id: mapping.id, district: mapping.district },
    );
  });
}
