import { dirname, join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import nunjucks from 'nunjucks';
import { PROJECT_ROOT } from '../common/paths';
import { ACTIVITY_NAMES, FORMAT_NAMES, PROFESSION_NAMES, ukDate, ukDateTime } from './labels';

export const VIEWS_DIR = join(PROJECT_ROOT, 'src', 'web', 'views');
const PUBLIC_DIR = join(PROJECT_ROOT, 'src', 'web', 'public');
/** The design system's `dist` folder: templates under `nhsuk/`, styles, scripts and images. */
const NHSUK_DIST = dirname(dirname(require.resolve('nhsuk-frontend')));

/** Server-rendered pages: Nunjucks templates, the design system's assets and our own. */
export function configureViews(app: NestExpressApplication): void {
  const env = nunjucks.configure([VIEWS_DIR, NHSUK_DIST], {
    autoescape: true,
    throwOnUndefined: false,
    express: app.getHttpAdapter().getInstance(),
  });
  env.addFilter('ukDateTime', ukDateTime);
  env.addFilter('ukDate', ukDate);
  env.addFilter('activityName', (value: string) => ACTIVITY_NAMES[value as never] ?? value);
  env.addFilter('formatName', (value: string) => FORMAT_NAMES[value as never] ?? value);
  env.addFilter('professionName', (value: string) => PROFESSION_NAMES[value as never] ?? value);
  app.setViewEngine('njk');

  const cache = { maxAge: '1d' };
  app.useStaticAssets(join(NHSUK_DIST, 'nhsuk', 'assets'), { prefix: '/assets/', ...cache });
  app.useStaticAssets(PUBLIC_DIR, { prefix: '/assets/', ...cache });
  const express = app.getHttpAdapter().getInstance() as import('express').Express;
  for (const file of ['nhsuk-frontend.min.css', 'nhsuk-frontend.min.js']) {
    express.get(`/assets/${file}`, (_req, res) =>
      res.sendFile(join(NHSUK_DIST, 'nhsuk', file), cache),
    );
  }
}
