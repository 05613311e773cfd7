/**
 * The sections of the application, each shown only when the session's abilities allow it.
 * The menu and the home page's quick links both read this list.
 */
import { House, Location, OfficeBuilding, User } from '@element-plus/icons-vue';
import type { Component } from 'vue';
import type { Ability } from '@/stores/session';

export interface Section {
  /** Route name and path. */
  name: 'home' | 'territory' | 'departments' | 'accounts';
  path: string;
  titleKey: 'nav.home' | 'nav.territory' | 'nav.departments' | 'nav.accounts';
  /** i18n key of a one-line description (home page). */
  descriptionKey?: 'home.territoryDesc' | 'home.departmentsDesc' | 'home.accountsDesc';
  icon: Component;
  /** Shown only when this ability is true; always shown when absent. */
  ability?: Ability;
}

export const SECTIONS: readonly Section[] = [
  { name: 'home', path: '/', titleKey: 'nav.home', icon: House },
  {
    name: 'territory',
    path: '/territory',
    titleKey: 'nav.territory',
    descriptionKey: 'home.territoryDesc',
    icon: Location,
    ability: 'readTerritory',
  },
  {
    name: 'departments',
    path: '/departments',
    titleKey: 'nav.departments',
    descriptionKey: 'home.departmentsDesc',
    icon: OfficeBuilding,
    ability: 'readDepartments',
  },
  {
    name: 'accounts',
    path: '/accounts',
    titleKey: 'nav.accounts',
    descriptionKey: 'home.accountsDesc',
    icon: User,
    ability: 'readAccounts',
  },
];
