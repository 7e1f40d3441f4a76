import { MigrationInterface, QueryRunner } from 'typeorm';

export class Extensions1795248000000 implements MigrationInterface {
  name = 'Extensions1795248000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // earthdistance depends on cube; btree_gist lets exclusion constraints mix = and &&.
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS cube');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS earthdistance');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS citext');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP EXTENSION IF EXISTS citext');
    await queryRunner.query('DROP EXTENSION IF EXISTS btree_gist');
    await queryRunner.query('DROP EXTENSION IF EXISTS earthdistance');
    await queryRunner.query('DROP EXTENSION IF EXISTS cube');
  }
}
