import { rm } from 'node:fs/promises';
import type { EmbeddedDatabase } from '../../src/database/embedded-postgres';

export default async function globalTeardown() {
  const { embeddedTestDatabase, embeddedTestDir } = globalThis as {
    embeddedTestDatabase?: EmbeddedDatabase;
    embeddedTestDir?: string;
  };
  await embeddedTestDatabase?.stop();
  if (embeddedTestDir) await rm(embeddedTestDir, { recursive: true, force: true });
}
