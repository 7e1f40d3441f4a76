import { ConfigError, parseConfig } from './config';
import { parseDurationSeconds } from './duration';

const ACCESS_SECRET = 'a'.repeat(32);
const REFRESH_SECRET = 'b'.repeat(40);

/** Runs parseConfig expecting a ConfigError and returns its problems. */
function problemsOf(raw: Record<string, string | undefined>): string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected parseConfig to throw a ConfigError');
}

describe('parseDurationSeconds', () => {
  it.each([
    ['900', 900],
    ['900s', 900],
    ['15m', 900],
    ['12h', 43_200],
    ['30d', 2_592_000],
    [' 15 m ', 900],
  ])('reads %p as %p seconds', (input, seconds) => {
    expect(parseDurationSeconds(input)).toBe(seconds);
  });

  it.each(['soon', '', '15x', '-5m', '1.5h', 'm15', '0', '0s'])(
    'returns undefined for %p',
    (input) => {
      expect(parseDurationSeconds(input)).toBeUndefined();
    },
  );
});

describe('parseConfig', () => {
  describe('defaults', () => {
    const config = parseConfig({});

    it('uses the documented defaults when nothing is set', () => {
      expect(config.env).toBe('development');
      expect(config.port).toBe(3000);
      expect(config.databaseUrl).toBeUndefined();
      expect(config.embeddedPg).toEqual({ dir: '.data/postgres', port: undefined });
      expect(config.logLevel).toBe('info');
      expect(config.importRegisterOnStart).toBe(true);
      expect(config.trustProxy).toBe(false);
      expect(config.bootstrapAdmin).toBeUndefined();
    });

    it('turns the default JWT lifetimes 15m and 30d into seconds', () => {
      expect(config.jwt.accessTtlSeconds).toBe(900);
      expect(config.jwt.refreshTtlSeconds).toBe(2_592_000);
    });

    it('uses the default login limits and need weights', () => {
      expect(config.login).toEqual({
        maxFailuresPerAccount: 5,
        maxFailuresPerIp: 20,
        failureWindowSeconds: 900,
      });
      expect(config.need).toEqual({ deprivationWeight: 0.6, outreachGapWeight: 0.4 });
    });
  });

  describe('conversion from strings', () => {
    it('reads numbers from strings', () => {
      const config = parseConfig({ PORT: '8080', EMBEDDED_PG_PORT: '5433' });
      expect(config.port).toBe(8080);
      expect(config.embeddedPg.port).toBe(5433);
    });

    it.each([
      ['false', false],
      ['0', false],
      ['no', false],
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['yes', true],
      ['on', true],
    ])('reads IMPORT_REGISTER_ON_START=%p as %p', (value, expected) => {
      expect(parseConfig({ IMPORT_REGISTER_ON_START: value }).importRegisterOnStart).toBe(expected);
    });

    it('reads TRUST_PROXY and durations given as strings', () => {
      const config = parseConfig({
        TRUST_PROXY: 'true',
        JWT_ACCESS_TTL: '10m',
        JWT_REFRESH_TTL: '7d',
        LOGIN_FAILURE_WINDOW: '1h',
      });
      expect(config.trustProxy).toBe(true);
      expect(config.jwt.accessTtlSeconds).toBe(600);
      expect(config.jwt.refreshTtlSeconds).toBe(604_800);
      expect(config.login.failureWindowSeconds).toBe(3600);
    });

    it('keeps a postgres DATABASE_URL and the chosen log level', () => {
      const config = parseConfig({
        DATABASE_URL: 'postgres://hf:secret@localhost:5432/hf',
        LOG_LEVEL: 'debug',
      });
      expect(config.databaseUrl).toBe('postgres://hf:secret@localhost:5432/hf');
      expect(config.logLevel).toBe('debug');
    });

    it('treats empty strings as unset', () => {
      const config = parseConfig({
        PORT: '',
        EMBEDDED_PG_DIR: '',
        DATABASE_URL: '',
        LOG_LEVEL: '',
        IMPORT_REGISTER_ON_START: '',
        JWT_ACCESS_SECRET: '',
        JWT_ACCESS_TTL: '',
        BOOTSTRAP_ADMIN_EMAIL: '',
        BOOTSTRAP_ADMIN_PASSWORD: '',
      });
      expect(config.port).toBe(3000);
      expect(config.embeddedPg.dir).toBe('.data/postgres');
      expect(config.databaseUrl).toBeUndefined();
      expect(config.logLevel).toBe('info');
      expect(config.importRegisterOnStart).toBe(true);
      expect(config.jwt.accessSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(config.jwt.accessTtlSeconds).toBe(900);
      expect(config.bootstrapAdmin).toBeUndefined();
    });

    it('treats empty JWT secrets as unset in production too, and refuses them', () => {
      const problems = problemsOf({
        NODE_ENV: 'production',
        JWT_ACCESS_SECRET: '',
        JWT_REFRESH_SECRET: REFRESH_SECRET,
      });
      expect(problems.some((p) => p.startsWith('JWT_ACCESS_SECRET'))).toBe(true);
    });
  });

  describe('bad settings', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '80.5'],
      ['DATABASE_URL', 'mysql://x'],
      ['LOG_LEVEL', 'loud'],
      ['JWT_ACCESS_TTL', 'soon'],
      ['JWT_REFRESH_TTL', '1 week'],
      ['LOGIN_FAILURE_WINDOW', '15 minutes'],
      ['NODE_ENV', 'staging'],
      ['EMBEDDED_PG_PORT', '0'],
      ['LOGIN_MAX_FAILURES_PER_ACCOUNT', '0'],
    ])('refuses %s=%p with a problem naming the variable', (name, value) => {
      const problems = problemsOf({ [name]: value });
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((p) => p.startsWith(name))).toBe(true);
    });

    it('explains what DATABASE_URL must be', () => {
      expect(problemsOf({ DATABASE_URL: 'mysql://x' })).toEqual([
        'DATABASE_URL must be a postgres:// URL',
      ]);
    });

    it('explains what a duration looks like', () => {
      expect(problemsOf({ JWT_ACCESS_TTL: 'soon' })).toEqual([
        'JWT_ACCESS_TTL must be a positive duration such as 900s, 15m, 12h or 30d',
      ]);
    });

    it('reports every bad setting at once and lists them in the error message', () => {
      let caught: unknown;
      try {
        parseConfig({ PORT: 'abc', LOG_LEVEL: 'loud' });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      const error = caught as ConfigError;
      expect(error.problems.some((p) => p.startsWith('PORT'))).toBe(true);
      expect(error.problems.some((p) => p.startsWith('LOG_LEVEL'))).toBe(true);
      expect(error.message).toContain('Invalid configuration');
      expect(error.message).toContain('PORT');
      expect(error.message).toContain('LOG_LEVEL');
    });

    // A zero lifetime matches the duration pattern, but parseDurationSeconds rejects it, so it
    // must be refused here rather than yield an undefined TTL.
    it.each(['JWT_ACCESS_TTL', 'JWT_REFRESH_TTL', 'LOGIN_FAILURE_WINDOW'])(
      'refuses a zero duration for %s',
      (name) => {
        expect(() => parseConfig({ [name]: '0m' })).toThrow(ConfigError);
      },
    );
  });

  describe('JWT secrets', () => {
    it('refuses production without JWT secrets', () => {
      const problems = problemsOf({ NODE_ENV: 'production' });
      expect(problems.some((p) => p.startsWith('JWT_ACCESS_SECRET'))).toBe(true);
      expect(problems.some((p) => p.startsWith('JWT_REFRESH_SECRET'))).toBe(true);
    });

    it('accepts production with both secrets and uses them', () => {
      const config = parseConfig({
        NODE_ENV: 'production',
        JWT_ACCESS_SECRET: ACCESS_SECRET,
        JWT_REFRESH_SECRET: REFRESH_SECRET,
      });
      expect(config.env).toBe('production');
      expect(config.jwt.accessSecret).toBe(ACCESS_SECRET);
      expect(config.jwt.refreshSecret).toBe(REFRESH_SECRET);
      expect(config.warnings.some((w) => w.includes('JWT_'))).toBe(false);
    });

    it.each(['development', 'production'])('refuses a short JWT secret in %s', (env) => {
      const problems = problemsOf({
        NODE_ENV: env,
        JWT_ACCESS_SECRET: 'too-short',
        JWT_REFRESH_SECRET: REFRESH_SECRET,
      });
      expect(problems).toEqual(['JWT_ACCESS_SECRET must be at least 32 characters']);
    });

    it('refuses a short refresh secret', () => {
      expect(problemsOf({ JWT_REFRESH_SECRET: 'x'.repeat(31) })).toEqual([
        'JWT_REFRESH_SECRET must be at least 32 characters',
      ]);
    });

    it('generates distinct 64-hex-character secrets in development and warns about each', () => {
      const config = parseConfig({ NODE_ENV: 'development' });
      expect(config.jwt.accessSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(config.jwt.refreshSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(config.jwt.accessSecret).not.toBe(config.jwt.refreshSecret);
      expect(config.warnings).toEqual(
        expect.arrayContaining([
          expect.stringContaining('JWT_ACCESS_SECRET is not set'),
          expect.stringContaining('JWT_REFRESH_SECRET is not set'),
        ]),
      );
    });

    it('generates a new secret on every start', () => {
      expect(parseConfig({}).jwt.accessSecret).not.toBe(parseConfig({}).jwt.accessSecret);
    });

    it('only generates the secret that is missing', () => {
      const config = parseConfig({ JWT_ACCESS_SECRET: ACCESS_SECRET });
      expect(config.jwt.accessSecret).toBe(ACCESS_SECRET);
      expect(config.jwt.refreshSecret).toMatch(/^[0-9a-f]{64}$/);
      expect(config.warnings.some((w) => w.startsWith('JWT_ACCESS_SECRET'))).toBe(false);
      expect(config.warnings.some((w) => w.startsWith('JWT_REFRESH_SECRET'))).toBe(true);
    });
  });

  describe('bootstrap administrator', () => {
    it('refuses an e-mail address without a password', () => {
      const problems = problemsOf({ BOOTSTRAP_ADMIN_EMAIL: 'admin@example.org' });
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((p) => p.startsWith('BOOTSTRAP_ADMIN_PASSWORD'))).toBe(true);
    });

    it('refuses a password without an e-mail address', () => {
      const problems = problemsOf({ BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery' });
      expect(problems).toEqual([
        'BOOTSTRAP_ADMIN_EMAIL must be an e-mail address (set it with BOOTSTRAP_ADMIN_PASSWORD)',
      ]);
    });

    it('refuses a password shorter than 12 characters', () => {
      const problems = problemsOf({
        BOOTSTRAP_ADMIN_EMAIL: 'admin@example.org',
        BOOTSTRAP_ADMIN_PASSWORD: 'short',
      });
      expect(problems).toEqual([
        'BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters (set it with BOOTSTRAP_ADMIN_EMAIL)',
      ]);
    });

    it('refuses an e-mail address that is not one', () => {
      const problems = problemsOf({
        BOOTSTRAP_ADMIN_EMAIL: 'not-an-address',
        BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery',
      });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^BOOTSTRAP_ADMIN_EMAIL/);
    });

    it('keeps both when both are given, without the missing-administrator warning', () => {
      const config = parseConfig({
        BOOTSTRAP_ADMIN_EMAIL: 'admin@example.org',
        BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery',
      });
      expect(config.bootstrapAdmin).toEqual({
        email: 'admin@example.org',
        password: 'correct horse battery',
      });
      expect(config.warnings.some((w) => w.startsWith('BOOTSTRAP_ADMIN_EMAIL'))).toBe(false);
    });

    it('warns when no administrator is configured', () => {
      expect(parseConfig({}).warnings).toContain(
        'BOOTSTRAP_ADMIN_EMAIL is not set: no administrator is created at start-up',
      );
    });
  });

  describe('need weights', () => {
    it('accepts weights that add up to 1', () => {
      const config = parseConfig({
        NEED_WEIGHT_DEPRIVATION: '0.7',
        NEED_WEIGHT_OUTREACH_GAP: '0.3',
      });
      expect(config.need).toEqual({ deprivationWeight: 0.7, outreachGapWeight: 0.3 });
    });

    it.each([
      ['0.7', undefined],
      ['0.5', '0.4'],
      ['1', '1'],
    ])('refuses NEED_WEIGHT_DEPRIVATION=%p with NEED_WEIGHT_OUTREACH_GAP=%p', (dep, gap) => {
      expect(problemsOf({ NEED_WEIGHT_DEPRIVATION: dep, NEED_WEIGHT_OUTREACH_GAP: gap })).toContain(
        'NEED_WEIGHT_DEPRIVATION and NEED_WEIGHT_OUTREACH_GAP must add up to 1',
      );
    });

    it('refuses a weight outside 0..1 by name', () => {
      const problems = problemsOf({
        NEED_WEIGHT_DEPRIVATION: '1.5',
        NEED_WEIGHT_OUTREACH_GAP: '-0.5',
      });
      expect(problems.some((p) => p.startsWith('NEED_WEIGHT_DEPRIVATION'))).toBe(true);
      expect(problems.some((p) => p.startsWith('NEED_WEIGHT_OUTREACH_GAP'))).toBe(true);
    });
  });
});

describe('boolean settings', () => {
  it('reads yes/no words and refuses anything else instead of guessing', () => {
    expect(parseConfig({ TRUST_PROXY: 'yes' }).trustProxy).toBe(true);
    expect(parseConfig({ IMPORT_REGISTER_ON_START: 'off' }).importRegisterOnStart).toBe(false);
    expect(problemsOf({ IMPORT_REGISTER_ON_START: 'ture' })).toEqual([
      expect.stringContaining('IMPORT_REGISTER_ON_START'),
    ]);
  });
});
