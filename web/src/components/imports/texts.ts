/**
 * What a page tells the import components about its kind of records: the words for its file and its
 * record key, an example mapping name, and — for kinds that have them — the push-default checkbox
 * and the rule about which fields must be mapped together. Already in the interface's language.
 */
import type { ImportFieldView } from '@common/imports';
import { pickLabel } from '@/i18n';

export interface ImportTexts {
  /** The import tab's title (导入工单, 导入人员 …). */
  importTab: string;
  /** The file chooser's label, and its input's name (browser tests find it by name). */
  file: string;
  fileInput: string;
  /** The header of the record key column of the report (工单编号, 身份证号 …). */
  key: string;
  namePlaceholder: string;
  /** The "default for pushed records" checkbox; the mapping editor hides it when absent. */
  isDefault?: string | undefined;
  /** The rule about fields mapped together (“the address, or lng and lat”), when the kind has one. */
  oneOf?: string | undefined;
}

/**
 * A field key of a report in words: one of the kind's fields, or `tag.<code>` as 标签：<the tag's name>
 * (from the choices of the `tag` field); the key itself when unknown.
 */
export function fieldLabel(fields: readonly ImportFieldView[], key: string): string {
  const field = fields.find((f) => f.key === key);
  if (field) return pickLabel(field.label);
  if (key.startsWith('tag.')) {
    const tag = fields.find((f) => f.key === 'tag');
    const choice = tag?.choices?.find((c) => c.code === key.slice(4));
    if (tag && choice) return `${pickLabel(tag.label)}：${pickLabel(choice.label)}`;
  }
  return key;
}
