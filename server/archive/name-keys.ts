/**
 * Search keys of a name, computed when a person is written (person.name_pinyin, name_initials):
 * pinyin without tones, surnames read as surnames (单 shan, 曾 zeng, 尉迟 yuchi), letters and
 * digits kept as they are. Writers of `person` (commands, imports, the demo) all call personNameKeys.
 */
import { pinyin } from 'pinyin-pro';

export interface NameKeys {
  /** 'zhangsan' */
  pinyin: string;
  /** 'zs' */
  initials: string;
}

/** Trims, folds runs of white space and unifies the separators of transcribed names (· • ．) to '·'. */
export function normalizeName(raw: string): string {
  return raw
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[•．.・]/g, '·');
}

export function personNameKeys(name: string): NameKeys {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive' })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter((s) => s.length > 0);
  return { pinyin: syllables.join(''), initials: syllables.map((s) => s[0]).join('') };
}

/** How a search text is read: Latin letters are pinyin (initials or full), anything else a name's characters. */
export function readNameQuery(raw: string): { kind: 'pinyin'; text: string } | { kind: 'name'; text: string } | null {
  const text = raw.trim().replace(/\s+/g, '');
  if (!text) return null;
  if (/^[A-Za-z]+$/.test(text)) return { kind: 'pinyin', text: text.toLowerCase() };
  return { kind: 'name', text: normalizeName(text) };
}

/** The text grams are cut from, as the database's archive_normalize: no white space, full-width as ASCII, lower-case. */
export function normalizeSearchText(raw: string): string {
  return raw
    .replace(/\s+/g, '')
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toLowerCase();
}

/**
 * The grams a text containing `normalized` must have (archive_grams in migration 0016): its one
 * character, or every pair of adjacent characters.
 */
export function searchGrams(normalized: string): string[] {
  const chars = [...normalized];
  if (chars.length <= 1) return chars;
  return [...new Set(chars.slice(1).map((c, i) => `${chars[i]}${c}`))];
}
