/**
 * Every audited action is one typed event (DESIGN rule 7). The union is checked when a row is
 * written, so no `details: any` rows reach the log.
 */
import { z } from 'zod';

const grant = z.object({ role: z.string(), unit: z.string(), department: z.string().nullable() });

export const ZAuditEvent = z.discriminatedUnion('action', [
  z.object({ action: z.literal('session.signed_in'), data: z.object({ kind: z.enum(['staff', 'resident']) }) }),
  z.object({
    action: z.literal('session.sign_in_failed'),
    data: z.object({ login: z.string(), reason: z.enum(['unknown_login', 'wrong_password', 'locked', 'disabled']) }),
  }),
  z.object({ action: z.literal('session.signed_out'), data: z.object({}) }),
  z.object({ action: z.literal('account.password_changed'), data: z.object({ by: z.enum(['self', 'admin', 'cli']) }) }),
  z.object({
    action: z.literal('account.created'),
    data: z.object({ username: z.string(), grants: z.array(grant) }),
  }),
  z.object({ action: z.literal('account.updated'), data: z.object({ changes: z.array(z.string()) }) }),
  z.object({ action: z.literal('account.granted'), data: grant }),
  z.object({ action: z.literal('account.revoked'), data: grant }),
  z.object({ action: z.literal('resident.created'), data: z.object({ phone: z.string() }) }),
  z.object({
    action: z.literal('unit.created'),
    data: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  }),
  z.object({ action: z.literal('unit.updated'), data: z.object({ code: z.string(), changes: z.array(z.string()) }) }),
  z.object({
    action: z.literal('units.imported'),
    data: z.object({ source: z.string(), created: z.number(), updated: z.number() }),
  }),
  z.object({
    action: z.literal('department.created'),
    data: z.object({ code: z.string(), name: z.string(), kind: z.string() }),
  }),
  z.object({
    action: z.literal('department.updated'),
    data: z.object({ code: z.string(), changes: z.array(z.string()) }),
  }),
  z.object({
    action: z.literal('category.created'),
    data: z.object({ code: z.string(), name: z.string(), kind: z.string() }),
  }),
  z.object({
    action: z.literal('category.updated'),
    data: z.object({ code: z.string(), changes: z.array(z.string()) }),
  }),
  z.object({
    action: z.enum(['category.disabled', 'category.enabled']),
    data: z.object({ code: z.string(), openCases: z.number() }),
  }),
  z.object({
    action: z.literal('time_limits.set'),
    data: z.object({ category: z.string().nullable(), limits: z.array(z.string()) }),
  }),
  z.object({
    action: z.enum(['dispatch_rule.created', 'dispatch_rule.deleted']),
    data: z.object({ category: z.string(), unit: z.string(), department: z.string() }),
  }),
  z.object({
    action: z.literal('catalogue.seeded'),
    data: z.object({ inserted: z.number(), updated: z.number(), limits: z.number() }),
  }),
  z.object({ action: z.literal('dispatch_rules.seeded'), data: z.object({ source: z.string(), rules: z.number() }) }),
  z.object({
    action: z.literal('case.reported'),
    data: z.object({ number: z.string(), channel: z.string(), category: z.string() }),
  }),
  z.object({
    action: z.literal('case.transitioned'),
    data: z.object({ number: z.string(), action: z.string(), from: z.string(), to: z.string() }),
  }),
  z.object({
    action: z.literal('case.followed'),
    data: z.object({ number: z.string(), via: z.enum(['follow', 'merge']), from: z.string().optional() }),
  }),
  z.object({
    action: z.literal('settings.changed'),
    data: z.object({ area: z.string(), changes: z.array(z.string()) }),
  }),
  z.object({
    action: z.literal('machine_key.created'),
    data: z.object({ name: z.string(), channel: z.string(), unit: z.string(), prefix: z.string() }),
  }),
  z.object({ action: z.literal('machine_key.revoked'), data: z.object({ name: z.string(), prefix: z.string() }) }),
  // Webhook URLs are logged without their query (it may carry the receiver's token).
  z.object({
    action: z.literal('webhook.created'),
    data: z.object({ url: z.string(), unit: z.string(), eventTypes: z.array(z.string()) }),
  }),
  z.object({ action: z.literal('webhook.updated'), data: z.object({ url: z.string(), changes: z.array(z.string()) }) }),
  z.object({ action: z.enum(['webhook.deleted', 'webhook.secret_rotated']), data: z.object({ url: z.string() }) }),
  z.object({
    action: z.literal('webhook.disabled'),
    data: z.object({ url: z.string(), reason: z.literal('failures'), failures: z.number(), since: z.string() }),
  }),
  z.object({
    action: z.literal('webhook.delivery_replayed'),
    data: z.object({ delivery: z.string(), eventType: z.string(), case: z.string().nullable() }),
  }),
  z.object({ action: z.literal('calendar.hours_set'), data: z.object({ workingHours: z.array(z.string()) }) }),
  z.object({
    action: z.literal('calendar.day_set'),
    data: z.object({ day: z.string(), kind: z.enum(['workday', 'holiday']), note: z.string() }),
  }),
  z.object({ action: z.literal('calendar.day_unset'), data: z.object({ day: z.string() }) }),
  z.object({
    action: z.literal('summons.issued'),
    data: z.object({ departments: z.array(z.string()), case: z.string().nullable(), replyDueAt: z.string() }),
  }),
  z.object({
    action: z.literal('summons.replied'),
    data: z.object({ department: z.string(), reply: z.enum(['accepted', 'declined']), late: z.boolean() }),
  }),
  z.object({ action: z.literal('summons.closed'), data: z.object({ from: z.string() }) }),
  z.object({ action: z.literal('summons.cancelled'), data: z.object({ from: z.string() }) }),
  z.object({
    action: z.literal('meeting.created'),
    data: z.object({ subject: z.string(), attendees: z.number(), cases: z.array(z.string()) }),
  }),
  z.object({ action: z.literal('meeting.updated'), data: z.object({ changes: z.array(z.string()) }) }),
  z.object({ action: z.literal('meeting.case_linked'), data: z.object({ case: z.string() }) }),
  z.object({
    action: z.literal('meeting.decision_added'),
    data: z.object({ decision: z.string(), owner: z.enum(['department', 'account']), dueOn: z.string() }),
  }),
  z.object({ action: z.literal('meeting.decision_done'), data: z.object({ decision: z.string() }) }),
  z.object({
    action: z.literal('media.uploaded'),
    data: z.object({ keys: z.array(z.string()), bytes: z.number(), uploader: z.string() }),
  }),
  z.object({
    action: z.literal('cases.exported'),
    data: z.object({
      format: z.enum(['csv', 'xlsx']),
      /** The list's filters as sent (state, overdue, number, q). */
      filters: z.record(z.string(), z.unknown()),
      rows: z.number(),
      personalData: z.enum(['masked', 'unmasked']),
      /** Rows whose reporter's contacts left unmasked (those in the actor's dispatcher scope). */
      unmaskedRows: z.number(),
      purpose: z.string().nullable(),
    }),
  }),
  // Resident archive (server/archive). Every event names the people it showed or touched in
  // data.people: a person's access history finds them there (migration 0016's GIN index).
  z.object({
    action: z.literal('archive.read'),
    data: z.object({
      people: z.array(z.string()),
      via: z.enum(['detail', 'list', 'lookup', 'household']),
      fields: z.array(z.string()),
      purpose: z.string().nullable(),
      household: z.string().optional(),
      /** A list's filters, ID numbers masked. */
      query: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
  z.object({
    action: z.literal('archive.unmasked'),
    data: z.object({
      people: z.array(z.string()),
      fields: z.array(z.string()),
      purpose: z.string(),
      purposeText: z.string(),
    }),
  }),
  z.object({
    action: z.literal('archive.exported'),
    data: z.object({
      people: z.array(z.string()),
      format: z.enum(['csv', 'xlsx']),
      rows: z.number(),
      fields: z.array(z.string()),
      unmasked: z.boolean(),
      purpose: z.string(),
      purposeText: z.string(),
      query: z.record(z.string(), z.unknown()),
    }),
  }),
  z.object({
    action: z.literal('archive.changed'),
    data: z.object({
      people: z.array(z.string()),
      record: z.enum([
        'person',
        'household',
        'member',
        'relation',
        'tag',
        'matter_record',
        'attachment',
        'building',
        'dwelling',
        'venue',
      ]),
      change: z.enum(['created', 'updated', 'deleted']),
      fields: z.array(z.string()),
      /** The departmental import run that wrote the change (server/archive/imports). */
      importRun: z.string().optional(),
    }),
  }),
  z.object({ action: z.literal('archive.history_read'), data: z.object({ people: z.array(z.string()) }) }),
  z.object({
    action: z.literal('archive.configured'),
    data: z.object({
      kind: z.enum(['tag_type', 'tag_grant', 'matter_form']),
      code: z.string(),
      change: z.enum(['created', 'updated', 'granted', 'revoked']),
      department: z.string().nullable(),
    }),
  }),
  z.object({
    action: z.enum(['import_mapping.created', 'import_mapping.updated', 'import_mapping.deleted']),
    data: z.object({ kind: z.string(), name: z.string() }),
  }),
  z.object({
    action: z.literal('import.started'),
    data: z.object({
      kind: z.string(),
      mapping: z.string(),
      file: z.string(),
      format: z.string(),
      bytes: z.number(),
      sha256: z.string(),
    }),
  }),
  z.object({
    action: z.literal('import.finished'),
    data: z.object({
      kind: z.string(),
      status: z.enum(['done', 'failed']),
      total: z.number(),
      created: z.number(),
      updated: z.number(),
      unchanged: z.number(),
      rejected: z.number(),
      error: z.string().nullable(),
    }),
  }),
  z.object({
    action: z.literal('hotline.status_exported'),
    data: z.object({ format: z.string(), since: z.string(), until: z.string(), rows: z.number() }),
  }),
  z.object({
    action: z.literal('access.denied'),
    data: z.object({ method: z.string(), route: z.string(), reason: z.enum(['out_of_scope', 'forbidden']) }),
  }),
  // Household visits (server/visits); reads of them are archive.read rows (via household or list).
  z.object({
    action: z.literal('visit.recorded'),
    data: z.object({
      household: z.string(),
      visitedAt: z.string(),
      night: z.boolean(),
      needs: z.number(),
      photos: z.number(),
    }),
  }),
  z.object({ action: z.literal('visit.need_referred'), data: z.object({ need: z.string(), case: z.string() }) }),
  z.object({ action: z.literal('visit.need_resolved'), data: z.object({ need: z.string() }) }),
  // The demo's synthetic archive and its year of visits (server/seed/archive).
  z.object({
    action: z.literal('demo.archive_seeded'),
    data: z.object({
      people: z.number(),
      households: z.number(),
      buildings: z.number(),
      dwellings: z.number(),
      venues: z.number(),
      tags: z.number(),
      asOf: z.string(),
    }),
  }),
  z.object({
    action: z.literal('demo.visits_seeded'),
    data: z.object({ visits: z.number(), needs: z.number(), referred: z.number() }),
  }),
]);

export type AuditEvent = z.infer<typeof ZAuditEvent>;
export type AuditAction = AuditEvent['action'];
