import type { UnmaskedPerson, UnmaskPurpose } from '../../../common/archive.js';
import { writeAudit } from '../../audit/audit.writer.js';
import type { PersonRow } from '../person.repository.js';
import type { ArchiveContext } from './archive-context.js';

/** How long the web may keep clear values on screen before masking them again. */
export const SHOW_CLEAR_MS = 5 * 60_000;

export interface UnmaskPersonProps {
  /** Loaded and authorized (archive.policy.ts archivePolicy.unmask). */
  person: PersonRow;
  purpose: UnmaskPurpose;
  purposeText: string;
}

/**
 * The clear ID number and phones of a person, for the stated purpose. The audit row (with the
 * purpose) commits before the values are returned: no clear value leaves unrecorded.
 */
export async function unmaskPerson(ctx: ArchiveContext, props: UnmaskPersonProps): Promise<UnmaskedPerson> {
  const p = props.person;
  await writeAudit(
    ctx.db,
    ctx.who,
    {
      action: 'archive.unmasked',
      data: { people: [p.id], fields: ['idNumber', 'phones'], purpose: props.purpose, purposeText: props.purposeText },
    },
    { type: 'person', id: p.id, district: p.district },
  );
  const now = ctx.now ?? new Date();
  return {
    id: p.id,
    idNumber: p.idNumber,
    phones: p.phones,
    purpose: props.purpose,
    showUntil: new Date(now.getTime() + SHOW_CLEAR_MS).toISOString(),
  };
}
