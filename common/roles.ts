/**
 * Staff roles. Each grant pairs a role with a scope: a unit subtree (and, for handlers, a department).
 * Residents are a separate kind of account and never hold a staff role.
 */
export const ROLES = [
  'admin',
  'leader',
  'supervisor',
  'dispatcher',
  'handler',
  'committee_staff',
  'grid_worker',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'Administrator' },
  leader: { zh: '领导', en: 'Leader' },
  supervisor: { zh: '督办员', en: 'Supervisor' },
  dispatcher: { zh: '受理派遣员', en: 'Dispatcher' },
  handler: { zh: '部门处置人员', en: 'Department handler' },
  committee_staff: { zh: '居委社工', en: 'Committee staff' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
};

/** Roles that must name a department in their grant. */
export const DEPARTMENT_ROLES: readonly Role[] = ['handler'];
