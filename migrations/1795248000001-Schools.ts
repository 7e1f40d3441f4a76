import { MigrationInterface, QueryRunner } from 'typeorm';

export class Schools1795248000001 implements MigrationInterface {
  name = 'Schools1795248000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE school_status AS ENUM ('open', 'closed')`);
    await queryRunner.query(`
      CREATE TABLE schools (
        urn integer NOT NULL,
        name text NOT NULL,
        phase text NOT NULL,
        status school_status NOT NULL DEFAULT 'open',
        la_code varchar(3) NOT NULL,
        la_name text NOT NULL,
        la_gss_code varchar(9),
        region text,
        region_code varchar(9),
        town text,
        postcode varchar(8),
        latitude double precision,
        longitude double precision,
        pupils integer,
        percent_fsm numeric(4,1),
        urban_rural text,
        constituency text,
        fsm_percentile double precision,
        high_need boolean NOT NULL DEFAULT false,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_schools PRIMARY KEY (urn),
        CONSTRAINT ck_schools_percent_fsm CHECK (percent_fsm >= 0 AND percent_fsm <= 100),
        CONSTRAINT ck_schools_coordinates CHECK ((latitude IS NULL) = (longitude IS NULL))
      )`);
    await queryRunner.query('CREATE INDEX ix_schools_status ON schools (status)');
    await queryRunner.query('CREATE INDEX ix_schools_la_code ON schools (la_code)');
    await queryRunner.query('CREATE INDEX ix_schools_region ON schools (region)');
    // Distance searches: earth_box(centre, radius) @> ll_to_earth(latitude, longitude).
    await queryRunner.query(`
      CREATE INDEX ix_schools_location ON schools
      USING gist (ll_to_earth(latitude, longitude)) WHERE latitude IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE schools');
    await queryRunner.query('DROP TYPE school_status');
  }
}
