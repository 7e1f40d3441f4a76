import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** argon2id with the OWASP-recommended minimum cost (19 MiB, 2 iterations). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies a password against a stored hash. With no hash (unknown account) it still spends the
 * same effort on a dummy hash, so response times do not reveal which e-mails are registered.
 */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword('not a real password');
  const ok = await argon2.verify(hash ?? (await dummyHash), password);
  return ok && hash !== undefined;
}
