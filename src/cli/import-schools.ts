import 'reflect-metadata';
import { resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { OutcodeDirectory } from '../postcodes/outcode-directory';
import {
  ImportProgress,
  importEdition,
  ImportSummary,
  MassClosureError,
} from '../schools/register/import-edition';
import { readRegisterFile, RegisterFileError } from '../schools/register/register-file';
import { registerLookups } from '../schools/register/register-lookups';
import { withCliDatabase } from './cli-database';

const USAGE =
  'usage: npm run import:schools -- FILE [--allow-mass-closure]\n' +
  '  FILE: our normalised CSV or a GIAS "all establishment data" CSV\n' +
  '  --allow-mass-closure: accept an edition that closes more than a tenth of the open schools';

function terminalProgress(): ImportProgress | undefined {
  if (!process.stderr.isTTY) return undefined;
  const bar = new SingleBar(
    { stream: process.stderr, format: 'Importing schools [{bar}] {value}/{total}' },
    Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    advance: (rows) => bar.increment(rows),
    stop: () => bar.stop(),
  };
}

function report(file: string, summary: ImportSummary): string {
  const lines = [
    `Imported ${file} (${summary.format} format, ${summary.encoding})`,
    `  schools in the edition: ${summary.rows}`,
    `  inserted: ${summary.inserted}`,
    `  updated: ${summary.updated}`,
    `  unchanged: ${summary.unchanged}`,
    `  closed: ${summary.closed}`,
    `  rejected: ${summary.rejected.length}`,
    ...Object.entries(summary.skipped).map(([reason, count]) => `  skipped (${reason}): ${count}`),
    ...summary.rejected.map(({ line, reason }) => `  line ${line}: ${reason}`),
  ];
  return `${lines.join('\n')}\n`;
}

async function main() {
  const args = process.argv.slice(2);
  const allowMassClosure = args.includes('--allow-mass-closure');
  const [file, ...unknown] = args.filter((arg) => arg !== '--allow-mass-closure');
  if (!file || unknown.length > 0 || file.startsWith('--')) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  // npm runs scripts from the project folder; a relative path means where the user typed it.
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), file);
  const edition = await readRegisterFile(path, registerLookups(new OutcodeDirectory()));
  await withCliDatabase(async (dataSource) => {
    const summary = await importEdition(dataSource, edition, {
      progress: terminalProgress(),
      allowMassClosure,
    });
    process.stdout.write(report(path, summary));
  });
}

main().catch((error: unknown) => {
  const known =
    error instanceof RegisterFileError ||
    error instanceof MassClosureError ||
    (error as NodeJS.ErrnoException).code === 'ENOENT';
  process.stderr.write(
    `Import failed: ${known ? (error as Error).message : (error as Error).stack}\n`,
  );
  process.exit(1);
});
