import { INVERSE_RELATION, type PersonRelation } from '../../../common/archive.js';
import { AppError } from '../../http/app-error.js';
import { type ArchiveContext, auditChange } from './archive-context.js';

export interface SetRelationProps {
  person: { id: string; district: string };
  related: { id: string; district: string };
  /** What `related` is to `person` (e.g. 'parent': related is person's parent); null removes the relation. */
  relation: PersonRelation | null;
}

/** Records (or removes) a relation between two people, both directions in one transaction. */
export async function setRelation(ctx: ArchiveContext, props: SetRelationProps): Promise<void> {
  const { person, related, relation } = props;
  if (person.district !== related.district) throw new AppError('ARCHIVE_NOT_SAME_DISTRICT');
  if (person.id === related.id)
    throw new AppError('VALIDATION_FAILED', { fields: [{ path: 'body.relatedId', reason: 'the person themself' }] });
  const district = person.district;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('personRelation')
      .where('district', '=', district)
      .where((eb) =>
        eb.or([
          eb.and([eb('personId', '=', person.id), eb('relatedId', '=', related.id)]),
          eb.and([eb('personId', '=', related.id), eb('relatedId', '=', person.id)]),
        ]),
      )
      .execute();
    if (relation) {
      // Stored as "what the other is to me": person's row says related is their `relation`.
      await trx
        .insertInto('personRelation')
        .values([
          { district, personId: person.id, relatedId: related.id, relation },
          { district, personId: related.id, relatedId: person.id, relation: INVERSE_RELATION[relation] },
        ])
        .execute();
    }
    await auditChange(
      trx,
      ctx,
      {
        people: [person.id, related.id],
        record: 'relation',
        change: relation ? 'updated' : 'deleted',
        fields: relation ? [relation] : [],
      },
      { type: 'person', id: person.id, district },
    );
  });
}
