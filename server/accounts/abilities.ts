/**
 * What the signed-in person may do anywhere in their scope (menus), composed from the predicates.
 * Per-record abilities come from each module's policy.
 */
import type { SessionAbilities } from '../../common/api.js';
import type { Channel } from '../../common/cases.js';
import type { Role } from '../../common/roles.js';
import { SUMMONING_LEVELS } from '../../common/summons.js';
import { type ActorRelation, CHANNEL_REPORTERS } from '../../common/workflow.js';
import { mayReadMonthlyAnalysis } from '../analysis/analysis.policy.js';
import { archivePolicy } from '../archive/archive.policy.js';
import { archiveImportPolicy } from '../archive/imports/archive-import.policy.js';
import { cataloguePolicy } from '../cases/catalogue/catalogue.policy.js';
import { mayReadAssessment, mayUnmask } from '../exports/export.policy.js';
import { hotlinePolicy } from '../hotline/hotline.policy.js';
import { hasRole, isInstallationAdmin, isStaff } from '../policies/predicates.js';
import { handlerDepartments, ISSUING_ROLES } from '../summons/summons.policy.js';
import { visitPolicy } from '../visits/visit.policy.js';
import { webhookPolicy } from '../webhooks/webhook.policy.js';
import type { Actor } from './actor.js';

const staff = (actor: Actor | null) => isStaff(actor) && actor.grants.length > 0;
const admin = hasRole<unknown>('admin');

/** The staff role behind each reporting relation of the workflow table (others are not staff roles). */
const RELATION_ROLES: Partial<Record<ActorRelation, Role>> = {
  dispatcher: 'dispatcher',
  gridWorker: 'grid_worker',
  committeeStaff: 'committee_staff',
};

/** May report through the channel: a role the table lets report through it (CHANNEL_REPORTERS). */
const reports = (actor: Actor | null, channel: Channel) =>
  hasRole<unknown>(...CHANNEL_REPORTERS[channel].flatMap((r) => RELATION_ROLES[r] ?? []))(actor, null);

/** The roles and levels the summons policy lets speak for a committee or subdistrict. */
const issuesSummons = (actor: Actor | null) =>
  isStaff(actor) &&
  actor.grants.some(
    (g) => ISSUING_ROLES.includes(g.role) && (SUMMONING_LEVELS as readonly string[]).includes(g.unit.level),
  );

export function sessionAbilities(actor: Actor | null): SessionAbilities {
  return {
    readTerritory: staff(actor),
    manageTerritory: admin(actor, null),
    readDepartments: staff(actor),
    manageDepartments: admin(actor, null),
    readAccounts: admin(actor, null),
    manageAccounts: admin(actor, null),
    readAudit: admin(actor, null),
    readCases: staff(actor),
    reportCases: (['hotline', 'patrol', 'survey', 'board'] as const).some((c) => reports(actor, c)),
    reportHotline: reports(actor, 'hotline'),
    reportPatrol: reports(actor, 'patrol'),
    reportSurvey: reports(actor, 'survey'),
    reportBoard: reports(actor, 'board'),
    // The same predicates as the routes: catalogue.policy, calendar and settings routes.
    manageCatalogue: cataloguePolicy.manage(actor),
    manageDispatchRules: cataloguePolicy.manageSomeRules(actor),
    manageCalendar: isInstallationAdmin(actor),
    manageSettings: isInstallationAdmin(actor),
    issueSummons: issuesSummons(actor),
    replySummons: handlerDepartments(actor).length > 0,
    readSummons: issuesSummons(actor) || handlerDepartments(actor).length > 0,
    // The export's own predicates (server/exports/export.policy.ts).
    unmaskPersonalData: mayUnmask(actor),
    readAssessment: mayReadAssessment(actor),
    // The webhook routes' own predicate (server/webhooks/webhook.policy.ts).
    manageWebhooks: webhookPolicy.manageSome(actor, null),
    // The hotline routes' own predicate (server/hotline/hotline.policy.ts).
    useHotline: hotlinePolicy.useSome(actor, null),
    // The archive's own predicates (server/archive/archive.policy.ts).
    readArchive: archivePolicy.readSome(actor),
    writeArchive: archivePolicy.writeSome(actor),
    unmaskArchive: archivePolicy.unmaskSome(actor),
    exportArchive: archivePolicy.exportSome(actor),
    manageArchiveTypes: archivePolicy.manageTypes(actor),
    importArchive: archiveImportPolicy.useSome(actor, null),
    readVisits: visitPolicy.readSome(actor),
    recordVisits: visitPolicy.recordSome(actor),
    // The analysis route reads a committee as a visit reader (server/analysis/analysis.policy.ts).
    readMonthlyAnalysis: mayReadMonthlyAnalysis(actor),
  };
}
