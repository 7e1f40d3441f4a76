import {
  ArgumentsHost,
  BadRequestException,
  ForbiddenException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { AllExceptionsFilter, FieldValidationException } from './http-exception.filter';

class TestError extends DomainError<'x'> {
  get status() {
    return 429;
  }
}

interface ResponseStub {
  statusCode?: number;
  body?: Record<string, unknown>;
  headers: Record<string, string>;
  status: jest.Mock;
  json: jest.Mock;
  setHeader: jest.Mock;
}

function makeResponse(): ResponseStub {
  const response: ResponseStub = {
    headers: {},
    status: jest.fn((code: number) => {
      response.statusCode = code;
      return response;
    }),
    json: jest.fn((body: Record<string, unknown>) => {
      response.body = body;
      return response;
    }),
    setHeader: jest.fn((name: string, value: string) => {
      response.headers[name] = value;
      return response;
    }),
  };
  return response;
}

/** An API client's request: it prefers JSON. */
function makeHost(response: ResponseStub, request: { id?: string } = { id: 'req-1' }) {
  const withAccepts = { accepts: () => 'json', ...request };
  return {
    switchToHttp: () => ({ getRequest: () => withAccepts, getResponse: () => response }),
  } as unknown as ArgumentsHost;
}

/** Runs the filter on `exception` and returns what it sent. */
function handle(exception: unknown, request?: { id?: string }): ResponseStub {
  const response = makeResponse();
  new AllExceptionsFilter().catch(exception, makeHost(response, request));
  expect(response.status).toHaveBeenCalledTimes(1);
  expect(response.json).toHaveBeenCalledTimes(1);
  return response;
}

function pgError(code: string, constraint?: string): QueryFailedError {
  return new QueryFailedError(
    'INSERT INTO users (email) VALUES ($1)',
    [],
    Object.assign(new Error('dup'), { code, constraint }),
  );
}

describe('AllExceptionsFilter', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers a FieldValidationException with 400 and the field errors', () => {
    const errors = [
      { field: 'email', rule: 'isEmail', message: 'email must be an email' },
      { field: 'slots.0.startsAt', rule: 'isDateString', message: 'startsAt must be a date' },
    ];
    const response = handle(new FieldValidationException(errors));
    expect(response.statusCode).toBe(400);
    expect(response.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'validation_failed',
      message: 'email must be an email; startsAt must be a date',
      errors,
      requestId: 'req-1',
    });
    expect(response.setHeader).not.toHaveBeenCalled();
  });

  it('answers a unique violation (23505) with 409 named after the constraint', () => {
    const response = handle(pgError('23505', 'uq_users_email'));
    expect(response.statusCode).toBe(409);
    expect(response.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'uq_users_email',
      message: 'This conflicts with an existing record (uq_users_email)',
      requestId: 'req-1',
    });
  });

  it('answers an exclusion violation (23P01) with 409', () => {
    const response = handle(pgError('23P01', 'ex_slots_overlap'));
    expect(response.statusCode).toBe(409);
    expect(response.body).toMatchObject({
      statusCode: 409,
      code: 'ex_slots_overlap',
      message: 'This overlaps with an existing record (ex_slots_overlap)',
    });
  });

  it('uses the code "conflict" when PostgreSQL names no constraint', () => {
    const response = handle(pgError('23505'));
    expect(response.statusCode).toBe(409);
    expect(response.body).toMatchObject({
      code: 'conflict',
      message: 'This conflicts with an existing record',
    });
  });

  it('answers other query failures as a logged 500', () => {
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const response = handle(pgError('23503', 'fk_slots_school'));
    expect(response.statusCode).toBe(500);
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('answers a NotFoundException with 404 and its message', () => {
    const response = handle(new NotFoundException('School 100000 was not found'));
    expect(response.statusCode).toBe(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'School 100000 was not found',
      requestId: 'req-1',
    });
  });

  it('joins the messages of an HttpException that carries several', () => {
    const response = handle(new BadRequestException(['first is wrong', 'second is wrong']));
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({
      error: 'Bad Request',
      message: 'first is wrong; second is wrong',
    });
  });

  it('passes a string HttpException response through as the message', () => {
    const response = handle(new ForbiddenException());
    expect(response.statusCode).toBe(403);
    expect(response.body).toMatchObject({ error: 'Forbidden', message: 'Forbidden' });
  });

  it('answers an unknown error with a logged 500 that quotes the request id and hides the error', () => {
    const log = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const error = new Error('password for db user hf is hunter2');
    const response = handle(error);
    expect(response.statusCode).toBe(500);
    expect(response.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: expect.stringContaining('req-1'),
      requestId: 'req-1',
    });
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
    expect(log).toHaveBeenCalledWith({ err: error, requestId: 'req-1' }, error.stack);
  });

  it('answers a thrown non-Error with a 500 and "unknown" when the request has no id', () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const response = handle('a bare string', {});
    expect(response.statusCode).toBe(500);
    expect(response.body?.requestId).toBeUndefined();
    expect(response.body?.message).toContain('unknown');
    expect(JSON.stringify(response.body)).not.toContain('a bare string');
  });

  it('answers a DomainError by its status and code and sets Retry-After', () => {
    const response = handle(new TestError('x', 'Too many attempts', undefined, 60));
    expect(response.statusCode).toBe(429);
    expect(response.setHeader).toHaveBeenCalledWith('Retry-After', '60');
    expect(response.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'x',
      message: 'Too many attempts',
      errors: undefined,
      requestId: 'req-1',
    });
  });

  it('names the field of a DomainError and sends no Retry-After without one', () => {
    const response = handle(new TestError('x', 'That e-mail is taken', 'email'));
    expect(response.statusCode).toBe(429);
    expect(response.setHeader).not.toHaveBeenCalled();
    expect(response.body?.errors).toEqual([
      { field: 'email', rule: 'x', message: 'That e-mail is taken' },
    ]);
  });
});
