/**
 * Names the case pages show next to ids: departments (one list, loaded once), units (asked one by
 * one and remembered) and the category catalogue. Failures leave the id unnamed, never break a page.
 */
import type { DepartmentView } from '@common/api';
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';
import { type CategoryCatalogue, getCategories } from '@/api/cases';
import { listDepartments } from '@/api/departments';
import { getUnit } from '@/api/territory';

export interface UnitName {
  name: string;
  code: string;
  level: string;
  /** The names above it up to (not including) the district, e.g. 梧桐街道 · 第一居委会. */
  trail: string;
}

export const useCaseReferenceStore = defineStore('case-reference', () => {
  const departments = shallowRef<DepartmentView[]>([]);
  let departmentsLoading: Promise<void> | null = null;
  const units = reactive(new Map<string, UnitName | null>());
  const unitRequests = new Map<string, Promise<void>>();
  const catalogue = shallowRef<CategoryCatalogue | null>(null);
  const catalogueError = ref<unknown>(null);
  let catalogueLoading: Promise<void> | null = null;

  const departmentById = computed(() => new Map(departments.value.map((d) => [d.id, d])));

  function loadDepartments(force = false): Promise<void> {
    if (departmentsLoading && !force) return departmentsLoading;
    departmentsLoading = listDepartments()
      .then((answer) => {
        departments.value = answer.items;
      })
      .catch(() => {
        departmentsLoading = null;
      });
    return departmentsLoading;
  }

  function departmentName(id: string | null | undefined): string | null {
    if (!id) return null;
    return departmentById.value.get(id)?.name ?? null;
  }

  /** The unit's name when known; asks the server the first time (the answer arrives reactively). */
  function unit(id: string | null | undefined): UnitName | null {
    if (!id) return null;
    if (!units.has(id) && !unitRequests.has(id)) {
      const request = getUnit(id)
        .then((u) => {
          const trail = u.ancestors
            .filter((a) => a.level !== 'city' && a.level !== 'district')
            .map((a) => a.name)
            .join(' · ');
          units.set(id, { name: u.name, code: u.code, level: u.level, trail });
        })
        .catch(() => {
          units.set(id, null);
        });
      unitRequests.set(id, request);
    }
    return units.get(id) ?? null;
  }

  function loadCatalogue(force = false): Promise<void> {
    if (catalogueLoading && !force) return catalogueLoading;
    catalogueError.value = null;
    catalogueLoading = getCategories()
      .then((answer) => {
        catalogue.value = answer;
      })
      .catch((error) => {
        catalogueError.value = error;
        catalogueLoading = null;
      });
    return catalogueLoading;
  }

  return {
    departments,
    departmentById,
    loadDepartments,
    departmentName,
    unit,
    catalogue,
    catalogueError,
    loadCatalogue,
  };
});
