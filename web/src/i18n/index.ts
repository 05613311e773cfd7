/**
 * The interface's languages: zh-CN first, English complete. The choice persists in localStorage,
 * is sent to the server as Accept-Language, and drives Element Plus's own texts.
 */
import { createI18n } from 'vue-i18n';
import adminEn from './admin.en';
import adminZhCN, { type AdminMessages } from './admin.zh-CN';
import analysisEn from './analysis.en';
import analysisZhCN, { type AnalysisMessages } from './analysis.zh-CN';
import archiveEn from './archive.en';
import archiveZhCN, { type ArchiveMessages } from './archive.zh-CN';
import casesEn from './cases.en';
import casesZhCN, { type CasesMessages } from './cases.zh-CN';
import en from './en';
import exportsEn from './exports.en';
import exportsZhCN, { type ExportsMessages } from './exports.zh-CN';
import hotlineEn from './hotline.en';
import hotlineZhCN, { type HotlineMessages } from './hotline.zh-CN';
import importsEn from './imports.en';
import importsZhCN, { type ImportsMessages } from './imports.zh-CN';
import monthlyEn from './monthly.en';
import monthlyZhCN, { type MonthlyMessages } from './monthly.zh-CN';
import publicEn from './public.en';
import publicZhCN, { type PublicMessages } from './public.zh-CN';
import wallEn from './wall.en';
import wallZhCN, { type WallMessages } from './wall.zh-CN';
import webhooksEn from './webhooks.en';
import webhooksZhCN, { type WebhooksMessages } from './webhooks.zh-CN';
import zhCN, { type Messages } from './zh-CN';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'gridloop.locale';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage may be unavailable (private mode, sandboxed frame): fall back to Chinese.
  }
  return 'zh-CN';
}

/** The residents' public pages keep their texts in their own files, under `public.`; the staff's case pages under `cases.`. */
type AllMessages = Messages & {
  public: PublicMessages;
  cases: CasesMessages;
  admin: AdminMessages;
  exports: ExportsMessages;
  analysis: AnalysisMessages;
  wall: WallMessages;
  webhooks: WebhooksMessages;
  hotline: HotlineMessages;
  imports: ImportsMessages;
  archive: ArchiveMessages;
  monthly: MonthlyMessages;
};

export const i18n = createI18n<[AllMessages], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: {
    'zh-CN': {
      ...zhCN,
      public: publicZhCN,
      cases: casesZhCN,
      admin: adminZhCN,
      exports: exportsZhCN,
      analysis: analysisZhCN,
      wall: wallZhCN,
      webhooks: webhooksZhCN,
      hotline: hotlineZhCN,
      imports: importsZhCN,
      archive: archiveZhCN,
      monthly: monthlyZhCN,
    },
    en: {
      ...en,
      public: publicEn,
      cases: casesEn,
      admin: adminEn,
      exports: exportsEn,
      analysis: analysisEn,
      wall: wallEn,
      webhooks: webhooksEn,
      hotline: hotlineEn,
      imports: importsEn,
      archive: archiveEn,
      monthly: monthlyEn,
    },
  },
});

/** The language in use (reactive: templates that call it re-render when it changes). */
export function currentLocale(): Locale {
  const value = i18n.global.locale.value;
  return isLocale(value) ? value : 'zh-CN';
}

/** Switches the language and remembers the choice. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered; the switch still applies to this page.
  }
}

/** Picks the current language from a `{ zh, en }` label of common/ (ROLE_LABELS, LEVEL_LABELS …). */
export function pickLabel(label: { zh: string; en: string }): string {
  return currentLocale() === 'en' ? label.en : label.zh;
}

/** The i18n key naming a language in the switch. */
export function localeNameKey(locale: Locale): 'language.zhCN' | 'language.en' {
  return locale === 'en' ? 'language.en' : 'language.zhCN';
}

document.documentElement.lang = currentLocale();
