import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import cookieParser from 'cookie-parser';
import { Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'pino';
import { toFieldErrors } from './common/field-error';
import { AllExceptionsFilter, FieldValidationException } from './common/http-exception.filter';
import { requestLogging } from './common/logging';
import { AppConfig } from './config/config';
import { configureViews } from './web/views';

/** Pipes, filters, middleware and documentation shared by the server and the end-to-end tests. */
export function configureApp(app: INestApplication, config: AppConfig, logger: Logger): void {
  const express = app as NestExpressApplication;
  // Behind one load balancer: trust exactly one hop of X-Forwarded-For, so clients cannot
  // choose the address that login throttling counts.
  express.set('trust proxy', config.trustProxy ? 1 : false);
  express.disable('x-powered-by');
  app.use(requestLogging(logger));
  // The design system's page template has one inline script; it runs with this nonce.
  app.use((_req: unknown, res: Response, next: () => void) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        },
      },
    }),
  );
  app.use(cookieParser());
  configureViews(express);
  // Cohort files for bulk invitations arrive as CSV text.
  express.useBodyParser('text', { type: 'text/csv', limit: '2mb' });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new FieldValidationException(toFieldErrors(errors)),
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Health Futures')
      .setDescription(
        'Matches health professionals with primary schools in England. Routes say who may call them; ' +
          'sign in at /auth/login and send the access token as a Bearer token.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
