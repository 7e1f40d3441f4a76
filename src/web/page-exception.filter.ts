import { ArgumentsHost, Catch, HttpStatus } from '@nestjs/common';
import { Request, Response } from 'express';
import { AllExceptionsFilter } from '../common/http-exception.filter';

const TITLES: Partial<Record<number, string>> = {
  [HttpStatus.FORBIDDEN]: 'You cannot see this page',
  [HttpStatus.NOT_FOUND]: 'Page not found',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Too many attempts',
  [HttpStatus.INTERNAL_SERVER_ERROR]: 'Sorry, there is a problem with the service',
};

/** Errors on pages: signed-out visitors go to sign in; anything else is an error page. */
@Catch()
export class PageExceptionFilter extends AllExceptionsFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request & { id?: string }>();
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception, req.id === undefined ? undefined : String(req.id));
    if (body.statusCode === HttpStatus.UNAUTHORIZED) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(HttpStatus.SEE_OTHER, `/sign-in${next}`);
      return;
    }
    res.status(body.statusCode).render('error', {
      title: TITLES[body.statusCode] ?? 'There is a problem',
      message: body.message,
      statusCode: body.statusCode,
    });
  }
}
