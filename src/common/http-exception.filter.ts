import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { pgErrorCode } from '../database/pg-error';
import { DomainError } from './domain-error';
import { FieldError } from './field-error';

/** A validation failure that names each field and rule, raised by the global ValidationPipe. */
export class FieldValidationException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

const PG_CONFLICTS: Record<string, string> = {
  '23505': 'conflicts with an existing record',
  '23P01': 'overlaps with an existing record',
};

export interface ErrorBody {
  [detail: string]: unknown;
  statusCode: number;
  error: string;
  code?: string;
  message: string;
  errors?: FieldError[];
  requestId?: string;
}

/**
 * The one place where errors become HTTP answers: domain errors by their declared status,
 * PostgreSQL unique and exclusion violations as 409, anything unknown as a logged 500.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request & { id?: string }>();
    const response = host.switchToHttp().getResponse<Response>();
    const requestId = request.id === undefined ? undefined : String(request.id);
    const body = this.toBody(exception, requestId);
    if (exception instanceof DomainError && exception.retryAfterSeconds) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    if (body.statusCode === HttpStatus.NOT_FOUND && request.accepts(['json', 'html']) === 'html') {
      // A browser that followed a wrong link gets a page, not JSON.
      response.status(body.statusCode).render('error', {
        title: 'Page not found',
        message: 'If you typed the web address, check it is correct.',
        statusCode: body.statusCode,
      });
      return;
    }
    response.status(body.statusCode).json(body);
  }

  protected toBody(exception: unknown, requestId?: string): ErrorBody {
    if (exception instanceof FieldValidationException) {
      return {
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'Bad Request',
        code: 'validation_failed',
        message: exception.message,
        errors: exception.errors,
        requestId,
      };
    }
    if (exception instanceof DomainError) {
      return {
        statusCode: exception.status,
        error: statusText(exception.status),
        code: exception.code,
        message: exception.message,
        errors: exception.field
          ? [{ field: exception.field, rule: exception.code, message: exception.message }]
          : undefined,
        requestId,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const answer = exception.getResponse();
      if (typeof answer === 'string') {
        return { statusCode: status, error: statusText(status), message: answer, requestId };
      }
      // Keep what the exception carries (e.g. the health check's per-indicator details).
      const {
        message,
        statusCode: _status,
        error: _error,
        ...details
      } = answer as Record<string, unknown>;
      return {
        ...details,
        statusCode: status,
        error: statusText(status),
        message: [message ?? exception.message].flat().join('; '),
        requestId,
      };
    }
    const pgCode = pgErrorCode(exception);
    if (pgCode && PG_CONFLICTS[pgCode]) {
      const constraint = (exception as QueryFailedError & { driverError: { constraint?: string } })
        .driverError.constraint;
      return {
        statusCode: HttpStatus.CONFLICT,
        error: 'Conflict',
        code: constraint ?? 'conflict',
        message: `This ${PG_CONFLICTS[pgCode]}${constraint ? ` (${constraint})` : ''}`,
        requestId,
      };
    }
    this.logger.error(
      { err: exception, requestId },
      exception instanceof Error ? exception.stack : String(exception),
    );
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'Internal Server Error',
      message: `Something went wrong on our side; quote reference ${requestId ?? 'unknown'} when reporting it`,
      requestId,
    };
  }
}

function statusText(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  return name
    ? name
        .toLowerCase()
        .split('_')
        .map((word) => word[0].toUpperCase() + word.slice(1))
        .join(' ')
    : 'Error';
}
