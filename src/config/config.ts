import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { parseDurationSeconds } from './duration';

const DURATION = /^0*[1-9]\d*\s*[smhd]?$/;
const DURATION_RULE = 'must be a positive duration such as 900s, 15m, 12h or 30d';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  yes: true,
  on: true,
  '1': true,
  false: false,
  no: false,
  off: false,
  '0': false,
};
/** true/yes/on/1 and false/no/off/0; anything else stays a string and fails validation. */
const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? (BOOLEAN_WORDS[value.trim().toLowerCase()] ?? value) : value;
const toNumber = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;

/** Every setting the service reads from its environment; `.env.example` documents each one. */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsString()
  EMBEDDED_PG_DIR = '.data/postgres';

  @IsOptional()
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @ValidateIf(
    (env: EnvironmentVariables) => env.NODE_ENV === 'production' || !!env.JWT_ACCESS_SECRET,
  )
  @IsString()
  @MinLength(32, { message: 'JWT_ACCESS_SECRET must be at least 32 characters' })
  JWT_ACCESS_SECRET?: string;

  @ValidateIf(
    (env: EnvironmentVariables) => env.NODE_ENV === 'production' || !!env.JWT_REFRESH_SECRET,
  )
  @IsString()
  @MinLength(32, { message: 'JWT_REFRESH_SECRET must be at least 32 characters' })
  JWT_REFRESH_SECRET?: string;

  @Matches(DURATION, { message: `JWT_ACCESS_TTL ${DURATION_RULE}` })
  JWT_ACCESS_TTL = '15m';

  @Matches(DURATION, { message: `JWT_REFRESH_TTL ${DURATION_RULE}` })
  JWT_REFRESH_TTL = '30d';

  @ValidateIf(
    (env: EnvironmentVariables) => !!env.BOOTSTRAP_ADMIN_PASSWORD || !!env.BOOTSTRAP_ADMIN_EMAIL,
  )
  @IsEmail(
    {},
    {
      message:
        'BOOTSTRAP_ADMIN_EMAIL must be an e-mail address (set it with BOOTSTRAP_ADMIN_PASSWORD)',
    },
  )
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @ValidateIf(
    (env: EnvironmentVariables) => !!env.BOOTSTRAP_ADMIN_EMAIL || !!env.BOOTSTRAP_ADMIN_PASSWORD,
  )
  @IsString()
  @MinLength(12, {
    message:
      'BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters (set it with BOOTSTRAP_ADMIN_EMAIL)',
  })
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Transform(toBoolean)
  @IsBoolean()
  IMPORT_REGISTER_ON_START = true;

  @Transform(toBoolean)
  @IsBoolean()
  TRUST_PROXY = false;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_ACCOUNT = 5;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES_PER_IP = 20;

  @Matches(DURATION, { message: `LOGIN_FAILURE_WINDOW ${DURATION_RULE}` })
  LOGIN_FAILURE_WINDOW = '15m';

  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Health Futures <no-reply@health-futures.localhost>';

  /** Background jobs (sending e-mail, reminders, expiries) run in every instance, via pg-boss. */
  @Transform(toBoolean)
  @IsBoolean()
  JOBS_ENABLED = true;

  @Matches(DURATION, { message: `ACCOUNT_SETUP_TTL ${DURATION_RULE}` })
  ACCOUNT_SETUP_TTL = '14d';

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(30)
  INVITATION_EXPIRY_SCHOOL_DAYS = 5;

  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(100)
  INVITATIONS_PER_TERM = 6;

  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  NEED_WEIGHT_DEPRIVATION = 0.6;

  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(1)
  NEED_WEIGHT_OUTREACH_GAP = 0.4;

  /** A batch allocation with more candidate assignments than this fails rather than solving. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  ALLOCATION_MAX_CANDIDATES = 2_000_000;

  /** The solver process is stopped this long after its own time limit has passed. */
  @Transform(toNumber)
  @IsInt()
  @Min(0)
  ALLOCATION_SOLVER_GRACE_MS = 30_000;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  databaseUrl?: string;
  embeddedPg: { dir: string; port?: number };
  jwt: {
    accessSecret: string;
    refreshSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
  };
  bootstrapAdmin?: { email: string; password: string };
  logLevel: (typeof LOG_LEVELS)[number];
  importRegisterOnStart: boolean;
  trustProxy: boolean;
  login: { maxFailuresPerAccount: number; maxFailuresPerIp: number; failureWindowSeconds: number };
  need: { deprivationWeight: number; outreachGapWeight: number };
  /** Where people reach the service; links in e-mails start with it. */
  publicUrl: string;
  mail: { smtpUrl?: string; from: string };
  jobsEnabled: boolean;
  accountSetupTtlSeconds: number;
  invitations: { expirySchoolDays: number; perVolunteerPerTerm: number };
  allocation: { maxCandidates: number; solverGraceMs: number };
  /** Settings that were filled in because they were missing, to be reported at start-up. */
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates raw environment variables and turns them into the typed configuration. */
export function parseConfig(raw: Record<string, string | undefined>): AppConfig {
  const present = Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v !== ''),
  );
  const env = plainToInstance(EnvironmentVariables, present);
  const problems = validateSync(env, { whitelist: false }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property}: ${message}`,
    ),
  );
  const weightSum = Number(env.NEED_WEIGHT_DEPRIVATION) + Number(env.NEED_WEIGHT_OUTREACH_GAP);
  if (Math.abs(weightSum - 1) > 1e-9) {
    problems.push('NEED_WEIGHT_DEPRIVATION and NEED_WEIGHT_OUTREACH_GAP must add up to 1');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const warnings: string[] = [];
  const secret = (name: 'JWT_ACCESS_SECRET' | 'JWT_REFRESH_SECRET') => {
    const value = env[name];
    if (value) return value;
    warnings.push(
      `${name} is not set: using a random secret, so tokens end when this process stops`,
    );
    return randomBytes(32).toString('hex');
  };
  if (!env.SMTP_URL) {
    warnings.push('SMTP_URL is not set: e-mails are written to the log instead of being sent');
  }
  if (!env.BOOTSTRAP_ADMIN_EMAIL) {
    warnings.push('BOOTSTRAP_ADMIN_EMAIL is not set: no administrator is created at start-up');
  }

  return {
    env: env.NODE_ENV,
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    embeddedPg: { dir: env.EMBEDDED_PG_DIR, port: env.EMBEDDED_PG_PORT },
    jwt: {
      accessSecret: secret('JWT_ACCESS_SECRET'),
      refreshSecret: secret('JWT_REFRESH_SECRET'),
      accessTtlSeconds: parseDurationSeconds(env.JWT_ACCESS_TTL)!,
      refreshTtlSeconds: parseDurationSeconds(env.JWT_REFRESH_TTL)!,
    },
    bootstrapAdmin: env.BOOTSTRAP_ADMIN_EMAIL
      ? { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD! }
      : undefined,
    logLevel: env.LOG_LEVEL,
    importRegisterOnStart: env.IMPORT_REGISTER_ON_START,
    trustProxy: env.TRUST_PROXY,
    login: {
      maxFailuresPerAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: env.LOGIN_MAX_FAILURES_PER_IP,
      failureWindowSeconds: parseDurationSeconds(env.LOGIN_FAILURE_WINDOW)!,
    },
    need: {
      deprivationWeight: env.NEED_WEIGHT_DEPRIVATION,
      outreachGapWeight: env.NEED_WEIGHT_OUTREACH_GAP,
    },
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM },
    jobsEnabled: env.JOBS_ENABLED,
    accountSetupTtlSeconds: parseDurationSeconds(env.ACCOUNT_SETUP_TTL)!,
    invitations: {
      expirySchoolDays: env.INVITATION_EXPIRY_SCHOOL_DAYS,
      perVolunteerPerTerm: env.INVITATIONS_PER_TERM,
    },
    allocation: {
      maxCandidates: env.ALLOCATION_MAX_CANDIDATES,
      solverGraceMs: env.ALLOCATION_SOLVER_GRACE_MS,
    },
    warnings,
  };
}

/** Reads `.env` (when present) into the process environment, then validates it. */
export function loadConfig(): AppConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return parseConfig(process.env);
}

/** Injection token for the validated configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
