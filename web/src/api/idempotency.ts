/**
 * Idempotency-Keys for submissions that must not happen twice (a report): the same body sent again —
 * a retry after a network error, a second tap — carries the same key, so the server answers the case
 * the first one made; a changed body gets a new key. One keeper per form.
 */

/** 128 random bits as hex; crypto.getRandomValues works on plain-http deployments too (randomUUID does not). */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A function giving the key of a body: the same while the body stays the same. */
export function submissionKeys(): (body: unknown) => string {
  let last: { body: string; key: string } | null = null;
  return (body) => {
    const text = JSON.stringify(body);
    if (last?.body !== text) last = { body: text, key: randomKey() };
    return last.key;
  };
}
