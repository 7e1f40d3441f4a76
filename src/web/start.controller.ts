import { Body, Controller, Get, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthUser } from '../auth/current-user.decorator';
import { LoginDto } from '../auth/dto/credentials.dto';
import { Role } from '../users/user.entity';
import { type FormBody, formDto, submitForm, text } from './forms';
import { OpenPage, Pages } from './page.decorators';
import { WebSessionService } from './web-session.service';

/** Where each kind of account starts. */
export function homeOf(user: AuthUser): string {
  switch (user.role) {
    case Role.Volunteer:
      return '/volunteer';
    case Role.SchoolStaff:
      return '/school';
    default:
      return '/coordinator/approvals';
  }
}

/** Only paths of this service: never a redirect to another site. */
export function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : undefined;
}

@Pages()
@OpenPage()
@Controller()
export class StartController {
  constructor(private readonly session: WebSessionService) {}

  @Get()
  start(@Res() res: Response) {
    res.render('start', { title: 'Meet the people behind health careers' });
  }

  @Get('sign-in')
  signInPage(@Req() req: Request, @Res() res: Response, @Query('next') next?: string) {
    if (req.user) return res.redirect(HttpStatus.SEE_OTHER, homeOf(req.user as AuthUser));
    res.render('sign-in', { title: 'Sign in', next: safeNext(next) });
  }

  @Post('sign-in')
  signIn(@Req() req: Request, @Res() res: Response, @Body() body: FormBody) {
    const next = safeNext(text(body.next));
    return submitForm(
      res,
      { view: 'sign-in', locals: { title: 'Sign in', next }, values: body },
      async () => {
        const dto = await formDto(LoginDto, {
          email: text(body.email),
          password: body.password ?? '',
        });
        const user = await this.session.signIn(req, res, dto);
        return next ?? homeOf(user);
      },
    );
  }

  @Post('sign-out')
  async signOut(@Req() req: Request, @Res() res: Response) {
    await this.session.signOut(req, res);
    res.redirect(HttpStatus.SEE_OTHER, '/signed-out');
  }

  @Get('signed-out')
  signedOut(@Res() res: Response) {
    res.render('signed-out', { title: 'You have signed out' });
  }
}
