import { createHmac } from 'node:crypto';
import { doubleCsrf } from 'csrf-csrf';
import { Request } from 'express';

export const CSRF_FIELD = '_csrf';

/**
 * Double-submit form tokens: an HttpOnly cookie holds an HMAC of a random value bound to the
 * sign-in, and every form sends the token back in a hidden field.
 */
export function formTokens(accessSecret: string, sessionId: (req: Request) => string) {
  const secret = createHmac('sha256', accessSecret).update('form tokens').digest('hex');
  return doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: sessionId,
    cookieName: 'hf_form',
    cookieOptions: { httpOnly: true, sameSite: 'lax', secure: false, path: '/' },
    // The header's sign-out button is a form without hidden fields: it sends the token in its
    // action's query string (pages send no Referer, so the token does not leave the service).
    getCsrfTokenFromRequest: (req: Request) =>
      ((req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD] ?? req.query[CSRF_FIELD]) as
        string | undefined,
  });
}
