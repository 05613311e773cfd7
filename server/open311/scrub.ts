/**
 * Open311 answers are public and go to anyone who asks. A case's own words (description, address,
 * a public reason) may still name a phone number, an ID number or an e-mail address someone typed
 * into them: those are blotted out before the text leaves.
 */

const PATTERNS: RegExp[] = [
  // ID numbers (GB 11643: 17 digits and a check character), before the shorter phone numbers.
  /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g,
  // Mainland mobile numbers, with or without +86 and separators.
  /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g,
  // Landlines with an area code (021-12345678, 0755 1234 5678).
  /(?<!\d)0\d{2,3}[- ]?\d{3,4}[- ]?\d{4}(?!\d)/g,
  // E-mail addresses.
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
];

/** The text with personal numbers and addresses replaced by `***`. */
export function scrubPersonalData(text: string): string {
  return PATTERNS.reduce((out, pattern) => out.replace(pattern, '***'), text);
}
