import { z } from 'zod';
import type { SessionView } from '../../common/api.js';
import { ZGrantView } from '../http/schemas.js';

export const ZSignInRequest = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});

export const ZChangePasswordRequest = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const ZSessionView = z.object({
  account: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    kind: z.literal('staff'),
    mustChangePassword: z.boolean(),
    grants: z.array(ZGrantView),
  }),
  csrfToken: z.string(),
  abilities: z.object({
    readTerritory: z.boolean(),
    manageTerritory: z.boolean(),
    readDepartments: z.boolean(),
    manageDepartments: z.boolean(),
    readAccounts: z.boolean(),
    manageAccounts: z.boolean(),
    readAudit: z.boolean(),
    readCases: z.boolean(),
    reportCases: z.boolean(),
    reportHotline: z.boolean(),
    reportPatrol: z.boolean(),
    reportSurvey: z.boolean(),
    reportBoard: z.boolean(),
    manageCatalogue: z.boolean(),
    manageDispatchRules: z.boolean(),
    manageCalendar: z.boolean(),
    manageSettings: z.boolean(),
    issueSummons: z.boolean(),
    replySummons: z.boolean(),
    readSummons: z.boolean(),
    unmaskPersonalData: z.boolean(),
    readAssessment: z.boolean(),
    manageWebhooks: z.boolean(),
    useHotline: z.boolean(),
    readArchive: z.boolean(),
    writeArchive: z.boolean(),
    unmaskArchive: z.boolean(),
    exportArchive: z.boolean(),
    manageArchiveTypes: z.boolean(),
    importArchive: z.boolean(),
    readVisits: z.boolean(),
    recordVisits: z.boolean(),
    readMonthlyAnalysis: z.boolean(),
  }),
  expiresAt: z.string(),
}) satisfies z.ZodType<SessionView>;
