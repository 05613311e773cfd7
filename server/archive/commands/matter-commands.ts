/** Matter forms (一事一表): defining a form, and filing a filled record on a person or household. */
import { v7 as uuidv7 } from 'uuid';
import type { TagSubject } from '../../../common/archive.js';
import { writeAudit } from '../../audit/audit.writer.js';
import { AppError } from '../../http/app-error.js';
import type { MatterField } from '../archive.tables.js';
import { type Answer, answerProblems, fieldListProblems } from '../matter-form.js';
import { type ArchiveContext, actingAccount, auditChange, pgCode } from './archive-context.js';

export interface CreateMatterFormProps {
  code: string;
  nameZh: string;
  nameEn: string;
  appliesTo: TagSubject;
  fields: MatterField[];
}

export async function createMatterForm(ctx: ArchiveContext, props: CreateMatterFormProps): Promise<string> {
  const problems = fieldListProblems(props.fields);
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', { fields: problems });
  const id = uuidv7();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('matterForm')
        .values({ id, ...props, fields: JSON.stringify(props.fields), createdBy: actingAccount(ctx) })
        .execute();
      await writeAudit(trx, ctx.who, {
        action: 'archive.configured',
        data: { kind: 'matter_form', code: props.code, change: 'created', department: null },
      });
    });
  } catch (error) {
    if (pgCode(error) === '23505')
      throw new AppError('ARCHIVE_MATTER_FORM_DUPLICATE', { fields: [{ path: 'body.code', reason: 'taken' }] });
    throw error;
  }
  return id;
}

export interface RecordMatterProps {
  subject: { kind: 'person' | 'household'; id: string; district: string; unitPath: string };
  people: string[];
  formId: string;
  answers: Record<string, Answer>;
}

/** Files a filled form on a person or household; answers are checked against the form's fields. */
export async function recordMatter(ctx: ArchiveContext, props: RecordMatterProps): Promise<string> {
  const form = await ctx.db.selectFrom('matterForm').selectAll().where('id', '=', props.formId).executeTakeFirst();
  if (!form || form.disabled)
    throw new AppError('NOT_FOUND', { fields: [{ path: 'body.formId', reason: 'no such form' }] });
  if (form.appliesTo !== 'both' && form.appliesTo !== props.subject.kind)
    throw new AppError('ARCHIVE_MATTER_ANSWERS_INVALID', {
      fields: [{ path: 'body.formId', reason: `a form for ${form.appliesTo} records` }],
    });
  const problems = answerProblems(form.fields, props.answers);
  if (problems.length > 0) throw new AppError('ARCHIVE_MATTER_ANSWERS_INVALID', { fields: problems });
  const id = uuidv7();
  const { subject } = props;
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('matterRecord')
      .values({
        district: subject.district,
        id,
        formId: form.id,
        formVersion: form.version,
        personId: subject.kind === 'person' ? subject.id : null,
        householdId: subject.kind === 'household' ? subject.id : null,
        unitPath: subject.unitPath,
        answers: JSON.stringify(props.answers),
        createdBy: actingAccount(ctx),
      })
      .execute();
    await auditChange(
      trx,
      ctx,
      { people: props.people, record: 'matter_record', change: 'created', fields: [form.code] },
      { type: subject.kind, id: subject.id, district: subject.district },
    );
  });
  return id;
}
