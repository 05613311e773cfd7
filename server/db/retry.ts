/**
 * PostgreSQL may abort a transaction to break a deadlock (40P01) or a serialization conflict (40001):
 * two steps on cases that share rows of the daily indicator rollup, a merge beside a step on its
 * target. Nothing of the aborted transaction was written, so running it again is correct; the caller
 * sees an answer, not a 500.
 */
const RETRYABLE = new Set(['40P01', '40001']);

export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      if (attempt >= attempts || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
      // A short random pause lets the other transaction finish first.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
