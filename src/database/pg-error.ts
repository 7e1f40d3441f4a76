import { QueryFailedError } from 'typeorm';

/** PostgreSQL's SQLSTATE of a failed query (e.g. 23505 unique, 23P01 exclusion), if it is one. */
export function pgErrorCode(error: unknown): string | undefined {
  return error instanceof QueryFailedError
    ? (error.driverError as { code?: string }).code
    : undefined;
}
