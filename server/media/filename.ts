/**
 * A client's file name, made safe to keep as metadata and to show. It never becomes part of a
 * path: stored files are named by their SHA-256.
 */

/** Longest name kept, in characters. */
export const MAX_FILENAME_LENGTH = 120;

/** C0/C1 controls, zero-width and bidirectional-override characters (they can disguise an extension). */
function invisible(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2069) ||
    code === 0xfeff
  );
}

/**
 * The last path segment of `name`, NFC, without invisible characters, characters Windows refuses
 * in names, or leading dots and spaces, cut to `MAX_FILENAME_LENGTH`; null when nothing is left.
 */
export function sanitiseFilename(name: string | undefined): string | null {
  if (typeof name !== 'string') return null;
  const base = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const chars = Array.from(base)
    .filter((c) => !invisible(c.codePointAt(0) ?? 0))
    .map((c) => ('<>:"|?*'.includes(c) ? '_' : c));
  const clean = chars
    .slice(0, MAX_FILENAME_LENGTH)
    .join('')
    .trim()
    .replace(/^[.\s]+/, '');
  return clean === '' ? null : clean;
}

/**
 * A name no browser sends: a path (a `/` or `\` separator, a `.` or `..` segment) or a C0/C1 control
 * character (NUL included). Browsers send the last segment of a chosen file's name, so such a name
 * was made by hand; the upload is refused rather than guessed at.
 */
export function unsafeFilename(name: string | undefined): boolean {
  if (typeof name !== 'string') return false;
  if (/[/\\]/.test(name) || name === '.' || name === '..') return true;
  return Array.from(name).some((c) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });
}
