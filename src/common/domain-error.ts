import { HttpStatus } from '@nestjs/common';

/**
 * Base for the typed errors of each feature. A feature declares its codes as an enum and the
 * HTTP status of each; the global exception filter turns them into responses.
 */
export abstract class DomainError<Code extends string = string> extends Error {
  abstract get status(): HttpStatus;

  constructor(
    readonly code: Code,
    message: string,
    readonly field?: string,
    /** Seconds a client should wait before trying again (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A feature's error class, from the HTTP status of each of its codes. */
export function domainErrors<Code extends string>(statuses: Record<Code, HttpStatus>) {
  return class extends DomainError<Code> {
    get status(): HttpStatus {
      return statuses[this.code];
    }
  };
}
