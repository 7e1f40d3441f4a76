import { MigrationInterface, QueryRunner } from 'typeorm';

export class VisitReminders1795248000005 implements MigrationInterface {
  name = 'VisitReminders1795248000005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Set in the transaction that writes the reminder e-mails: one reminder per visit, ever.
    await queryRunner.query('ALTER TABLE visits ADD COLUMN reminder_sent_at timestamptz');
    await queryRunner.query(`
      CREATE INDEX ix_visits_reminder_due ON visits (starts_at)
      WHERE status = 'confirmed' AND reminder_sent_at IS NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX ix_visits_reminder_due');
    await queryRunner.query('ALTER TABLE visits DROP COLUMN reminder_sent_at');
  }
}
