/**
 * Passwords: argon2id (OWASP's first choice) with the library's defaults (19 MiB, t=2, p=1).
 */
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../http/app-error.js';

export const hashPassword = (password: string) => hash(password);

/** Verifies without throwing on a malformed stored hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// A hash of nothing in particular, verified when the login is unknown so both answers take as long.
let dummyHash: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
  dummyHash ??= hash('gridloop-timing-equaliser');
  await verifyPassword(await dummyHash, password);
}

/** At least 10 characters, with letters and digits. */
export function assertStrongPassword(password: string): void {
  if (password.length < 10 || !/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    throw new AppError('PASSWORD_WEAK', { fields: [{ path: 'body.newPassword', reason: 'too weak' }] });
  }
}
