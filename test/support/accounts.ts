import request from 'supertest';
import type { TestApp } from './app';
import { TEST_ENV } from './app';

export const PASSWORD = 'a long enough password';

/** Registers an account and answers its access token. */
export async function signUp(
  t: TestApp,
  email: string,
  role: 'volunteer' | 'school_staff',
): Promise<string> {
  const response = await request(t.http)
    .post('/auth/register')
    .send({ email, password: PASSWORD, role })
    .expect(201);
  return response.body.accessToken;
}

export async function signIn(t: TestApp, email: string, password = PASSWORD): Promise<string> {
  const response = await request(t.http).post('/auth/login').send({ email, password }).expect(200);
  return response.body.accessToken;
}

/** A coordinator account, created by the bootstrap administrator. */
export async function coordinatorToken(
  t: TestApp,
  email = 'coordinator@msc.example.org',
): Promise<string> {
  const admin = await signIn(t, TEST_ENV.BOOTSTRAP_ADMIN_EMAIL, TEST_ENV.BOOTSTRAP_ADMIN_PASSWORD);
  await request(t.http)
    .post('/admin/users')
    .set('Authorization', `Bearer ${admin}`)
    .send({ email, password: PASSWORD })
    .expect(201);
  return signIn(t, email);
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
