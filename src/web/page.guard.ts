import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Role } from '../users/user.entity';
import { formTokens } from './csrf';
import { PAGE_ROLES } from './page.decorators';
import { WebSessionService } from './web-session.service';

export class ExpiredFormError extends ForbiddenException {
  constructor() {
    super('This form has expired. Go back, reload the page and try again.');
  }
}

/**
 * Resolves the signed-in account from the session cookie, checks the form token of every POST
 * and the roles a page is for, and gives templates what every page needs.
 */
@Injectable()
export class PageGuard implements CanActivate {
  private readonly tokens: ReturnType<typeof formTokens>;

  constructor(
    private readonly reflector: Reflector,
    private readonly session: WebSessionService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tokens = formTokens(config.jwt.accessSecret, (req) => this.session.sessionId(req));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const user = await this.session.resolve(req, res);
    req.user = user ?? undefined;
    res.locals.user = user;
    res.locals.currentPath = req.originalUrl.split('?')[0];

    if (req.method === 'POST' && !this.tokens.validateRequest(req)) throw new ExpiredFormError();
    res.locals.csrfToken = this.tokens.generateCsrfToken(req, res, {
      cookieOptions: { secure: req.secure },
    });

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(PAGE_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles?.length === 0) return true;
    if (!user) throw new UnauthorizedException('Sign in to see this page');
    if (!roles) return true;
    if (roles.includes(user.role) || (user.role === Role.Admin && roles.includes(Role.Coordinator)))
      return true;
    throw new ForbiddenException('This page is not for your account');
  }
}
