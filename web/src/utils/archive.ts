/**
 * Small helpers the archive's pages share: the signed-in person's archive scope in words, a tag's
 * name in the language shown, how a search box's text is read, how close a household's visit is, and
 * what a stated purpose lacks.
 */
import type { GrantView } from '@common/api';
import { PURPOSE_TEXT_MIN } from '@common/archive';
import type { Role } from '@common/roles';
import { i18n, pickLabel } from '@/i18n';

/** Roles that read the archive by territory (server/archive/archive.policy.ts READ_ROLES). */
const TERRITORIAL: readonly Role[] = ['admin', 'leader', 'committee_staff', 'grid_worker'];

/** "你的范围：梧桐一居委、……": the units (and departments, by granted tags) the archive is read in. */
export function archiveScopeText(grants: readonly GrantView[]): string {
  const { t } = i18n.global;
  const names = new Set<string>();
  for (const g of grants) {
    if (TERRITORIAL.includes(g.role)) names.add(g.unit.name);
    else if (g.role === 'handler' && g.department)
      names.add(t('archive.scopeDepartment', { department: g.department.name }));
  }
  return t('archive.scope', { units: [...names].join(t('common.listSeparator')) || t('common.none') });
}

/** A tag type's name in the language shown. */
export const tagName = (tag: { nameZh: string; nameEn: string }): string =>
  pickLabel({ zh: tag.nameZh, en: tag.nameEn });

export type SearchMode = 'auto' | 'name' | 'idNumber' | 'address';

const ID_LIKE = /^[0-9]{6,17}[0-9Xx]?$/;
/** Words that no name has and most addresses do (a given name may well hold 里, 院 or 楼). */
const ADDRESS_WORDS = /路|街|弄|巷|号|室|栋|幢|苑|小区|大厦|公寓|单元/;

/**
 * What the one search box asks for: an ID number (digits, maybe an X at the end), a name (Chinese,
 * or Latin letters as pinyin) or an address (digits or address words in Chinese).
 */
export function readSearchBox(text: string, mode: SearchMode): { field: Exclude<SearchMode, 'auto'>; value: string } {
  const value = text.replace(/\s+/g, mode === 'address' ? ' ' : '').trim();
  if (mode !== 'auto') return { field: mode, value: value.trim() };
  if (ID_LIKE.test(value)) return { field: 'idNumber', value };
  if (/^[A-Za-z]+$/.test(value)) return { field: 'name', value: value.toLowerCase() };
  // Digits, address words, or longer than a four-character name (复姓 included): an address.
  if (/[0-9０-９]/.test(value) || ADDRESS_WORDS.test(value) || [...value].length > 4)
    return { field: 'address', value: text.trim() };
  return { field: 'name', value };
}

/** How close a household's next visit is, on the day the list was counted. */
export function dueState(item: { overdue: boolean; dueOn: string | null }, day: string): 'overdue' | 'soon' | 'ok' {
  if (item.overdue || !item.dueOn) return 'overdue';
  const days = (Date.parse(`${item.dueOn}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000;
  return days <= 30 ? 'soon' : 'ok';
}

/** What a stated purpose (查看明文, an export) lacks, in the language shown; none when it will do. */
export interface PurposeProblems {
  purpose?: string | undefined;
  purposeText?: string | undefined;
}

export function purposeProblems(purpose: string, text: string): PurposeProblems {
  const { t } = i18n.global;
  const found: PurposeProblems = {};
  if (!purpose) found.purpose = t('archive.unmask.purposeRequired');
  if ([...text.trim()].length < PURPOSE_TEXT_MIN)
    found.purposeText = t('archive.unmask.textTooShort', { min: PURPOSE_TEXT_MIN });
  return found;
}
