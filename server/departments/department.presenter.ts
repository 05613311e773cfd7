import type { DepartmentView } from '../../common/api.js';
import type { Actor } from '../accounts/actor.js';
import { departmentAbilities } from './department.policy.js';
import type { DepartmentRow } from './department.repository.js';

export function presentDepartment(actor: Actor | null, d: DepartmentRow): DepartmentView {
  return {
    id: d.id,
    code: d.code,
    name: d.name,
    kind: d.kind,
    level: d.level,
    servesUnit: { id: d.servesId, code: d.servesCode, name: d.servesName, level: d.servesLevel },
    deployedTo:
      d.deployedId && d.deployedCode && d.deployedName && d.deployedLevel
        ? { id: d.deployedId, code: d.deployedCode, name: d.deployedName, level: d.deployedLevel }
        : null,
    abilities: departmentAbilities(actor, d),
  };
}
