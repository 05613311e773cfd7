/**
 * The sections of the application, each shown only when the session's abilities allow it.
 * The menu and the home page's quick links both read this list.
 */
import {
  Bell,
  Calendar,
  Collection,
  EditPen,
  House,
  Location,
  MapLocation,
  Medal,
  Message,
  OfficeBuilding,
  Search,
  Setting,
  Share,
  User,
} from '@element-plus/icons-vue';
import type { Component } from 'vue';
import type { Ability } from '@/stores/session';

export interface Section {
  /** Route name and path. */
  name:
    | 'home'
    | 'inbox'
    | 'board'
    | 'summons'
    | 'cases'
    | 'case-report'
    | 'assessment'
    | 'territory'
    | 'departments'
    | 'accounts'
    | 'admin-categories'
    | 'admin-rules'
    | 'admin-calendar'
    | 'admin-settings';
  path: string;
  titleKey:
    | 'nav.home'
    | 'nav.territory'
    | 'nav.departments'
    | 'nav.accounts'
    | 'cases.nav.inbox'
    | 'cases.nav.board'
    | 'cases.nav.summons'
    | 'cases.nav.list'
    | 'cases.nav.report'
    | 'exports.nav.assessment'
    | 'admin.nav.categories'
    | 'admin.nav.rules'
    | 'admin.nav.calendar'
    | 'admin.nav.settings';
  /** i18n key of a one-line description (home page). */
  descriptionKey?:
    | 'home.territoryDesc'
    | 'home.departmentsDesc'
    | 'home.accountsDesc'
    | 'cases.home.inboxDesc'
    | 'cases.home.boardDesc'
    | 'cases.home.summonsDesc'
    | 'cases.home.listDesc'
    | 'cases.home.reportDesc'
    | 'exports.home.assessmentDesc'
    | 'admin.home.categoriesDesc'
    | 'admin.home.rulesDesc'
    | 'admin.home.calendarDesc'
    | 'admin.home.settingsDesc';
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
    name: 'board',
    path: '/board',
    titleKey: 'cases.nav.board',
    descriptionKey: 'cases.home.boardDesc',
    icon: MapLocation,
    ability: 'readCases',
  },
  {
    name: 'summons',
    path: '/summons',
    titleKey: 'cases.nav.summons',
    descriptionKey: 'cases.home.summonsDesc',
    icon: Message,
    ability: 'readSummons',
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
    name: 'assessment',
    path: '/assessment',
    titleKey: 'exports.nav.assessment',
    descriptionKey: 'exports.home.assessmentDesc',
    icon: Medal,
    ability: 'readAssessment',
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
  {
    name: 'admin-categories',
    path: '/admin/categories',
    titleKey: 'admin.nav.categories',
    descriptionKey: 'admin.home.categoriesDesc',
    icon: Collection,
    ability: 'manageCatalogue',
  },
  {
    name: 'admin-rules',
    path: '/admin/dispatch-rules',
    titleKey: 'admin.nav.rules',
    descriptionKey: 'admin.home.rulesDesc',
    icon: Share,
    ability: 'manageDispatchRules',
  },
  {
    name: 'admin-calendar',
    path: '/admin/calendar',
    titleKey: 'admin.nav.calendar',
    descriptionKey: 'admin.home.calendarDesc',
    icon: Calendar,
    ability: 'manageCalendar',
  },
  {
    name: 'admin-settings',
    path: '/admin/settings',
    titleKey: 'admin.nav.settings',
    descriptionKey: 'admin.home.settingsDesc',
    icon: Setting,
    ability: 'manageSettings',
  },
];
