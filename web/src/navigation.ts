/**
 * The sections of the application, each shown only when the session's abilities allow it.
 * The menu and the home page's quick links both read this list.
 */
import { Bell, EditPen, House, Location, OfficeBuilding, Search, User } from '@element-plus/icons-vue';
import type { Component } from 'vue';
import type { Ability } from '@/stores/session';

export interface Section {
  /** Route name and path. */
  name: 'home' | 'inbox' | 'cases' | 'case-report' | 'territory' | 'departments' | 'accounts';
  path: string;
  titleKey:
    | 'nav.home'
    | 'nav.territory'
    | 'nav.departments'
    | 'nav.accounts'
    | 'cases.nav.inbox'
    | 'cases.nav.list'
    | 'cases.nav.report';
  /** i18n key of a one-line description (home page). */
  descriptionKey?:
    | 'home.territoryDesc'
    | 'home.departmentsDesc'
    | 'home.accountsDesc'
    | 'cases.home.inboxDesc'
    | 'cases.home.listDesc'
    | 'cases.home.reportDesc';
  icon: Component;
  /** Shown only when this ability is true; always shown when absent. */
  ability?: Ability;
}

export const SECTIONS: readonly Section[] = [
  { name: 'home', path: '/', titleKey: 'nav.home', icon: House },
  {
    name: 'inbox',
    path: '/work',
    titleKey: 'cases.nav.inbox',
    descriptionKey: 'cases.home.inboxDesc',
    icon: Bell,
    ability: 'readCases',
  },
  {
    name: 'cases',
    path: '/cases',
    titleKey: 'cases.nav.list',
    descriptionKey: 'cases.home.listDesc',
    icon: Search,
    ability: 'readCases',
  },
  {
    name: 'case-report',
    path: '/cases/new',
    titleKey: 'cases.nav.report',
    descriptionKey: 'cases.home.reportDesc',
    icon: EditPen,
    ability: 'reportCases',
  },
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
