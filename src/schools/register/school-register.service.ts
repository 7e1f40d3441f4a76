import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DATA_DIR } from '../../common/paths';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { AdvisoryLock, withAdvisoryLock } from '../../database/advisory-lock';
import { OutcodeDirectory } from '../../postcodes/outcode-directory';
import { importEdition, ImportOptions, ImportSummary } from './import-edition';
import { readRegisterFile } from './register-file';
import { registerLookups } from './register-lookups';

export const BUNDLED_REGISTER = join(DATA_DIR, 'primary-schools-england.csv');

/** Imports editions of the register, and the bundled one when the service starts empty. */
@Injectable()
export class SchoolRegisterService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SchoolRegisterService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outcodes: OutcodeDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.importRegisterOnStart) return;
    await withAdvisoryLock(this.dataSource, AdvisoryLock.RegisterImport, async () => {
      const [{ empty }] = await this.dataSource.query<{ empty: boolean }[]>(
        'SELECT NOT EXISTS (SELECT 1 FROM schools) AS empty',
      );
      if (!empty) return;
      this.logger.log(`The school register is empty: importing ${BUNDLED_REGISTER}`);
      const summary = await this.importFile(BUNDLED_REGISTER);
      this.logger.log(
        { ...summary, rejected: summary.rejected.length },
        'School register imported',
      );
    });
  }

  async importFile(path: string, options?: ImportOptions): Promise<ImportSummary> {
    const edition = await readRegisterFile(path, registerLookups(this.outcodes));
    return importEdition(this.dataSource, edition, options);
  }
}
