import request from 'supertest';
import { createTestApp, TestApp } from './support/app';
import { whileDatabaseUnavailable } from './support/database';

describe('operations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ template: 'empty' });
  });
  afterAll(() => t.close());

  it('publishes the OpenAPI document at /docs-json and the explorer at /docs', async () => {
    const document = await request(t.http).get('/docs-json').expect(200);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/schools',
        '/schools/{urn}',
        '/auth/register',
        '/auth/login',
        '/auth/refresh',
        '/auth/logout',
        '/me',
        '/admin/users',
        '/health',
        '/volunteers',
        '/volunteers/me',
        '/volunteers/me/export',
        '/volunteers/import',
        '/volunteers/{id}/approve',
        '/auth/complete-signup',
      ]),
    );
    expect(document.body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    await request(t.http).get('/docs').expect(200).expect('Content-Type', /html/);
  });

  it('gives every answer a request id (the caller’s, when it sent a sensible one) and security headers', async () => {
    const generated = await request(t.http).get('/health').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers['x-content-type-options']).toBe('nosniff');
    expect(generated.headers['x-powered-by']).toBeUndefined();

    const given = await request(t.http).get('/health').set('X-Request-Id', 'lb-1234').expect(200);
    expect(given.headers['x-request-id']).toBe('lb-1234');
    const refused = await request(t.http)
      .get('/health')
      .set('X-Request-Id', 'bad id <script>')
      .expect(200);
    expect(refused.headers['x-request-id']).not.toBe('bad id <script>');
  });

  it('answers an unexpected failure with 500 and a reference that matches the request id', async () => {
    await whileDatabaseUnavailable(t.databaseUrl, async () => {
      const failed = await request(t.http)
        .get('/schools/100000')
        .set('X-Request-Id', 'trace-500')
        .expect(500);
      expect(failed.body).toMatchObject({ statusCode: 500, requestId: 'trace-500' });
      expect(failed.body.message).toContain('trace-500');
      expect(JSON.stringify(failed.body)).not.toMatch(/terminat|connection|ECONN/i);
    });
  });
});
