import { MigrationInterface, QueryRunner } from 'typeorm';

export class Accounts1795248000002 implements MigrationInterface {
  name = 'Accounts1795248000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE user_role AS ENUM ('volunteer', 'school_staff', 'coordinator', 'admin')`,
    );
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        email citext NOT NULL,
        password_hash text NOT NULL,
        role user_role NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT uq_users_email UNIQUE (email)
      )`);
    await queryRunner.query(`
      CREATE TABLE refresh_tokens (
        id uuid NOT NULL,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_refresh_tokens PRIMARY KEY (id),
        CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await queryRunner.query('CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id)');
    await queryRunner.query('CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id)');
    await queryRunner.query(`
      CREATE TABLE login_failures (
        id bigint GENERATED ALWAYS AS IDENTITY,
        email citext NOT NULL,
        ip inet,
        failed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_login_failures PRIMARY KEY (id)
      )`);
    await queryRunner.query(
      'CREATE INDEX ix_login_failures_email ON login_failures (email, failed_at)',
    );
    await queryRunner.query('CREATE INDEX ix_login_failures_ip ON login_failures (ip, failed_at)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE login_failures');
    await queryRunner.query('DROP TABLE refresh_tokens');
    await queryRunner.query('DROP TABLE users');
    await queryRunner.query('DROP TYPE user_role');
  }
}
