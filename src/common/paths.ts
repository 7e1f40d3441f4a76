import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dir === dirname(dir)) throw new Error(`no package.json above ${start}`);
  }
}

/** The project folder, whether the code runs from `src/` (tests) or `dist/src/` (build). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

/** Files the service ships and reads at run time: register, outcodes, boundaries. */
export const DATA_DIR = join(PROJECT_ROOT, 'data');
