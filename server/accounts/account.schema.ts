import { z } from 'zod';
import type { AccountView } from '../../common/api.js';
import { ROLES } from '../../common/roles.js';
import { ZGrantView } from '../http/schemas.js';

export const ZAccountView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  phone: z.string().nullable(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  grants: z.array(ZGrantView),
  createdAt: z.string(),
  abilities: z.object({ update: z.boolean(), grant: z.boolean(), resetPassword: z.boolean() }),
}) satisfies z.ZodType<AccountView>;

export const ZGrantRequest = z.strictObject({
  role: z.enum(ROLES),
  unitId: z.uuid(),
  departmentId: z.uuid().nullable().optional(),
});

const ZPhone = z.string().regex(/^1\d{10}$/, 'an 11-digit mobile number');

export const ZCreateAccountRequest = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9._-]{2,31}$/, '3–32 letters, digits, . _ -; starting with a letter'),
  displayName: z.string().trim().min(1).max(50),
  phone: ZPhone.nullable().optional(),
  password: z.string().min(1).max(256),
  grants: z.array(ZGrantRequest).min(1).max(20),
});

export const ZUpdateAccountRequest = z
  .strictObject({
    displayName: z.string().trim().min(1).max(50).optional(),
    phone: ZPhone.nullable().optional(),
    disabled: z.boolean().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');

export const ZResetPasswordRequest = z.strictObject({ newPassword: z.string().min(1).max(256) });
