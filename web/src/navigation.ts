/**
 * The sections of the application, each shown only when the session's abilities allow it.
 * The menu and the home page's quick links both read this list.
 */
import {
  Bell,
  Calendar,
  Collection,
  Connection,
  DataAnalysis,
  DataLine,
  Edit,
  EditPen,
  Histogram,
  House,
  List,
  Location,
  MapLocation,
  Medal,
  Message,
  Monitor,
  Notebook,
  OfficeBuilding,
  Phone,
  PieChart,
  Search,
  Setting,
  Share,
  Upload,
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
    | 'dashboard'
    | 'heatmap'
    | 'hotspots'
    | 'wall'
    | 'territory'
    | 'departments'
    | 'accounts'
    | 'admin-categories'
    | 'admin-rules'
    | 'admin-calendar'
    | 'admin-settings'
    | 'admin-webhooks'
    | 'hotline'
    | 'archive'
    | 'archive-import'
    | 'visits'
    | 'visit-record'
    | 'visit-coverage'
    | 'archive-analysis';
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
    | 'analysis.nav.dashboard'
    | 'analysis.nav.heatmap'
    | 'analysis.nav.hotspots'
    | 'wall.nav.title'
    | 'admin.nav.categories'
    | 'admin.nav.rules'
    | 'admin.nav.calendar'
    | 'admin.nav.settings'
    | 'webhooks.nav.title'
    | 'hotline.nav.title'
    | 'archive.nav.search'
    | 'imports.archive.nav.title'
    | 'archive.nav.visits'
    | 'archive.nav.record'
    | 'archive.nav.coverage'
    | 'monthly.nav.title';
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
    | 'analysis.home.dashboardDesc'
    | 'analysis.home.heatmapDesc'
    | 'analysis.home.hotspotsDesc'
    | 'admin.home.categoriesDesc'
    | 'admin.home.rulesDesc'
    | 'admin.home.calendarDesc'
    | 'admin.home.settingsDesc'
    | 'webhooks.home.desc'
    | 'hotline.home.desc'
    | 'archive.home.searchDesc'
    | 'imports.archive.home.desc'
    | 'archive.home.visitsDesc'
    | 'archive.home.recordDesc'
    | 'archive.home.coverageDesc'
    | 'monthly.home.desc';
  icon: Component;
  /** Shown only when this ability is true; always shown when absent. */
  ability?: Ability;
  /** Opens in a tab of its own, outside the shell (the wall display). */
  newTab?: boolean;
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
    name: 'hotline',
    path: '/hotline',
    titleKey: 'hotline.nav.title',
    descriptionKey: 'hotline.home.desc',
    icon: Phone,
    ability: 'useHotline',
  },
  // The resident archive and household visits: the visit list before recording and coverage, so the
  // menu marks the deepest matching path.
  {
    name: 'archive',
    path: '/archive',
    titleKey: 'archive.nav.search',
    descriptionKey: 'archive.home.searchDesc',
    icon: Notebook,
    ability: 'readArchive',
  },
  {
    name: 'archive-import',
    path: '/archive/import',
    titleKey: 'imports.archive.nav.title',
    descriptionKey: 'imports.archive.home.desc',
    icon: Upload,
    ability: 'importArchive',
  },
  {
    name: 'visits',
    path: '/visits',
    titleKey: 'archive.nav.visits',
    descriptionKey: 'archive.home.visitsDesc',
    icon: List,
    ability: 'readVisits',
  },
  {
    name: 'visit-record',
    path: '/visits/new',
    titleKey: 'archive.nav.record',
    descriptionKey: 'archive.home.recordDesc',
    icon: Edit,
    ability: 'recordVisits',
  },
  {
    name: 'visit-coverage',
    path: '/visits/coverage',
    titleKey: 'archive.nav.coverage',
    descriptionKey: 'archive.home.coverageDesc',
    icon: PieChart,
    ability: 'readVisits',
  },
  {
    name: 'archive-analysis',
    path: '/archive/analysis',
    titleKey: 'monthly.nav.title',
    descriptionKey: 'monthly.home.desc',
    icon: DataAnalysis,
    ability: 'readMonthlyAnalysis',
  },
  {
    name: 'dashboard',
    path: '/dashboard',
    titleKey: 'analysis.nav.dashboard',
    descriptionKey: 'analysis.home.dashboardDesc',
    icon: DataLine,
    ability: 'readAssessment',
  },
  {
    name: 'heatmap',
    path: '/heatmap',
    titleKey: 'analysis.nav.heatmap',
    descriptionKey: 'analysis.home.heatmapDesc',
    icon: MapLocation,
    ability: 'readAssessment',
  },
  {
    name: 'hotspots',
    path: '/hotspots',
    titleKey: 'analysis.nav.hotspots',
    descriptionKey: 'analysis.home.hotspotsDesc',
    icon: Histogram,
    ability: 'readAssessment',
  },
  {
    name: 'assessment',
    path: '/assessment',
    titleKey: 'exports.nav.assessment',
    descriptionKey: 'exports.home.assessmentDesc',
    icon: Medal,
    ability: 'readAssessment',
  },
  // The wall display: for those who may read indicators and rankings, in a tab of its own.
  { name: 'wall', path: '/wall', titleKey: 'wall.nav.title', icon: Monitor, ability: 'readAssessment', newTab: true },
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
  {
    name: 'admin-webhooks',
    path: '/admin/webhooks',
    titleKey: 'webhooks.nav.title',
    descriptionKey: 'webhooks.home.desc',
    icon: Connection,
    ability: 'manageWebhooks',
  },
];
