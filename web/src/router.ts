/**
 * Routes. Every page is loaded lazily; the guard asks the server once who is signed in, sends the
 * signed-out to /login, and keeps people out of sections their abilities do not open.
 */
import { createRouter, createWebHistory, type RouteLocationRaw } from 'vue-router';
import { i18n } from '@/i18n';
import { type Ability, useSessionStore } from '@/stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** The session ability the page needs. */
    ability?: Ability;
    /** i18n key of the page title (browser tab). */
    titleKey?: string;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      path: '/login',
      name: 'login',
      component: () => import('@/pages/LoginPage.vue'),
      meta: { public: true, titleKey: 'login.title' },
    },
    {
      // The residents' pages: no staff sign-in, their own light layout (not the staff shell).
      path: '/public',
      component: () => import('@/components/public/PublicLayout.vue'),
      meta: { public: true },
      children: [
        {
          path: '',
          name: 'public-home',
          component: () => import('@/pages/public/PublicHomePage.vue'),
          meta: { titleKey: 'public.brand' },
        },
        {
          path: 'report',
          name: 'public-report',
          component: () => import('@/pages/public/ReportPage.vue'),
          meta: { titleKey: 'public.report.title' },
        },
        {
          path: 'done/:trackingCode',
          name: 'public-done',
          component: () => import('@/pages/public/ReportDonePage.vue'),
          meta: { titleKey: 'public.done.title' },
        },
        {
          path: 'track/:trackingCode?',
          name: 'public-track',
          component: () => import('@/pages/public/TrackPage.vue'),
          meta: { titleKey: 'public.track.title' },
        },
      ],
    },
    {
      // The wall display (大屏): full screen, outside the staff shell's menu frame; a staff sign-in still.
      path: '/wall',
      name: 'wall',
      component: () => import('@/pages/wall/WallPage.vue'),
      meta: { ability: 'readAssessment', titleKey: 'wall.title' },
    },
    {
      path: '/',
      component: () => import('@/layouts/AppShell.vue'),
      children: [
        { path: '', name: 'home', component: () => import('@/pages/HomePage.vue'), meta: { titleKey: 'nav.home' } },
        {
          path: 'work',
          name: 'inbox',
          component: () => import('@/pages/cases/InboxPage.vue'),
          meta: { ability: 'readCases', titleKey: 'cases.nav.inbox' },
        },
        {
          path: 'board',
          name: 'board',
          component: () => import('@/pages/cases/BoardPage.vue'),
          meta: { ability: 'readCases', titleKey: 'cases.nav.board' },
        },
        {
          path: 'summons',
          name: 'summons',
          component: () => import('@/pages/summons/SummonsPage.vue'),
          meta: { ability: 'readSummons', titleKey: 'cases.nav.summons' },
        },
        {
          path: 'cases',
          name: 'cases',
          component: () => import('@/pages/cases/CaseListPage.vue'),
          meta: { ability: 'readCases', titleKey: 'cases.nav.list' },
        },
        {
          path: 'cases/new',
          name: 'case-report',
          component: () => import('@/pages/cases/ReportCasePage.vue'),
          meta: { ability: 'reportCases', titleKey: 'cases.nav.report' },
        },
        {
          path: 'cases/:id',
          name: 'case',
          component: () => import('@/pages/cases/CasePage.vue'),
          meta: { ability: 'readCases', titleKey: 'cases.nav.list' },
        },
        {
          path: 'dashboard',
          name: 'dashboard',
          component: () => import('@/pages/analysis/DashboardPage.vue'),
          meta: { ability: 'readAssessment', titleKey: 'analysis.nav.dashboard' },
        },
        {
          path: 'heatmap',
          name: 'heatmap',
          component: () => import('@/pages/analysis/HeatMapPage.vue'),
          meta: { ability: 'readAssessment', titleKey: 'analysis.nav.heatmap' },
        },
        {
          path: 'hotspots',
          name: 'hotspots',
          component: () => import('@/pages/analysis/HotspotsPage.vue'),
          meta: { ability: 'readAssessment', titleKey: 'analysis.nav.hotspots' },
        },
        {
          path: 'assessment',
          name: 'assessment',
          component: () => import('@/pages/indicators/AssessmentPage.vue'),
          meta: { ability: 'readAssessment', titleKey: 'exports.nav.assessment' },
        },
        {
          path: 'territory',
          name: 'territory',
          component: () => import('@/pages/territory/TerritoryPage.vue'),
          meta: { ability: 'readTerritory', titleKey: 'nav.territory' },
        },
        {
          path: 'departments',
          name: 'departments',
          component: () => import('@/pages/DepartmentsPage.vue'),
          meta: { ability: 'readDepartments', titleKey: 'nav.departments' },
        },
        {
          path: 'accounts',
          name: 'accounts',
          component: () => import('@/pages/AccountsPage.vue'),
          meta: { ability: 'readAccounts', titleKey: 'nav.accounts' },
        },
        {
          path: 'admin/categories',
          name: 'admin-categories',
          component: () => import('@/pages/admin/CategoriesPage.vue'),
          meta: { ability: 'manageCatalogue', titleKey: 'admin.nav.categories' },
        },
        {
          path: 'admin/dispatch-rules',
          name: 'admin-rules',
          component: () => import('@/pages/admin/DispatchRulesPage.vue'),
          meta: { ability: 'manageDispatchRules', titleKey: 'admin.nav.rules' },
        },
        {
          path: 'admin/calendar',
          name: 'admin-calendar',
          component: () => import('@/pages/admin/CalendarPage.vue'),
          meta: { ability: 'manageCalendar', titleKey: 'admin.nav.calendar' },
        },
        {
          path: 'admin/settings',
          name: 'admin-settings',
          component: () => import('@/pages/admin/SettingsPage.vue'),
          meta: { ability: 'manageSettings', titleKey: 'admin.nav.settings' },
        },
        {
          path: 'hotline',
          name: 'hotline',
          component: () => import('@/pages/hotline/HotlinePage.vue'),
          meta: { ability: 'useHotline', titleKey: 'hotline.nav.title' },
        },
        {
          path: 'admin/webhooks',
          name: 'admin-webhooks',
          component: () => import('@/pages/admin/WebhooksPage.vue'),
          meta: { ability: 'manageWebhooks', titleKey: 'webhooks.nav.title' },
        },
        {
          path: 'archive',
          name: 'archive',
          component: () => import('@/pages/archive/ArchiveSearchPage.vue'),
          meta: { ability: 'readArchive', titleKey: 'archive.nav.search' },
        },
        {
          path: 'archive/import',
          name: 'archive-import',
          component: () => import('@/pages/archive/ImportPage.vue'),
          meta: { ability: 'importArchive', titleKey: 'imports.archive.nav.title' },
        },
        {
          path: 'archive/analysis',
          name: 'archive-analysis',
          component: () => import('@/pages/archive/MonthlyAnalysisPage.vue'),
          meta: { ability: 'readMonthlyAnalysis', titleKey: 'monthly.nav.title' },
        },
        {
          path: 'archive/people/:id',
          name: 'archive-person',
          component: () => import('@/pages/archive/PersonPage.vue'),
          props: true,
          meta: { ability: 'readArchive', titleKey: 'archive.nav.search' },
        },
        {
          path: 'archive/households/:id',
          name: 'archive-household',
          component: () => import('@/pages/archive/HouseholdPage.vue'),
          props: true,
          meta: { ability: 'readArchive', titleKey: 'archive.household.title' },
        },
        {
          path: 'visits',
          name: 'visits',
          component: () => import('@/pages/archive/VisitListPage.vue'),
          meta: { ability: 'readVisits', titleKey: 'archive.nav.visits' },
        },
        {
          path: 'visits/new',
          name: 'visit-record',
          component: () => import('@/pages/archive/VisitRecordPage.vue'),
          meta: { ability: 'recordVisits', titleKey: 'archive.nav.record' },
        },
        {
          path: 'visits/coverage',
          name: 'visit-coverage',
          component: () => import('@/pages/archive/CoveragePage.vue'),
          meta: { ability: 'readVisits', titleKey: 'archive.nav.coverage' },
        },
        {
          path: ':pathMatch(.*)*',
          name: 'not-found',
          component: () => import('@/pages/NotFoundPage.vue'),
          meta: { titleKey: 'notFound.title' },
        },
      ],
    },
  ],
});

/** A redirect target from the query, only if it is a path of this site. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

router.beforeEach(async (to): Promise<boolean | RouteLocationRaw> => {
  const session = useSessionStore();
  if (!session.loaded) {
    try {
      await session.load();
    } catch {
      // Server unreachable: treat as signed out; the sign-in page reports the error on submit.
    }
  }
  if (to.meta.public) {
    return to.name === 'login' && session.signedIn ? safeRedirect(to.query.redirect) : true;
  }
  if (!session.signedIn) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  }
  if (to.meta.ability && !session.can(to.meta.ability)) return { name: 'home' };
  return true;
});

/** The browser tab shows the page and the product. */
export function updateTitle(): void {
  const key = router.currentRoute.value.meta.titleKey;
  const product = i18n.global.t('app.fullName');
  document.title = key ? `${i18n.global.t(key)} · ${product}` : product;
}

router.afterEach(() => updateTitle());
