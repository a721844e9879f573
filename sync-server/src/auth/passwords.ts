import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * Password hashing with argon2id (DESIGN.md §6), at OWASP's recommended minimum: 19 MiB of memory,
 * 2 passes, 1 lane (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html),
 * about 50 ms here. The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) carries its own
 * parameters, so raising them later still verifies older hashes.
 */

// `Algorithm` is a const enum, which isolatedModules cannot read at run time: 2 is Argon2id.
const ARGON2ID = 2 satisfies Algorithm.Argon2id;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Whether `password` matches the stored hash; false (never a throw) for a hash that cannot be read. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Spends the time of one verification when there is no user to check against, so that a wrong
 * email answers as slowly as a wrong password and response times do not tell which emails exist.
 */
export async function verifyNothing(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummy, password);
  return false;
}
