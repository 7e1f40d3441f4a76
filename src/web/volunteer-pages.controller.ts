import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { RequiredReasonDto } from '../common/reason.dto';
import { InvitationError } from '../invitations/invitations.errors';
import { InvitationsService } from '../invitations/invitations.service';
import { OpportunitiesService } from '../matching/opportunities.service';
import { Role } from '../users/user.entity';
import { FeedbackDto } from '../visits/dto/visit.dto';
import { VisitsService } from '../visits/visits.service';
import type { VolunteerDto } from '../volunteers/dto/volunteer.dto';
import { VolunteerRightsService } from '../volunteers/volunteer-rights.service';
import { VolunteerError, VolunteerErrorCode } from '../volunteers/volunteers.errors';
import { VolunteersService } from '../volunteers/volunteers.service';
import { type FormBody, submitForm, text } from './forms';
import { OpenPage, PageFor, Pages } from './page.decorators';
import { homeOf } from './start.controller';
import {
  accountDto,
  dashboardView,
  feedbackValues,
  newProfileDto,
  noticeFor,
  postedProfileValues,
  PROFILE_CHOICES,
  profileChangesDto,
  profileFormValues,
  SIGN_UP_DEFAULTS,
  validateForm,
  visitView,
  unavailableRows,
} from './volunteer-pages';
import { WebSessionService } from './web-session.service';

const uuid = new ParseUUIDPipe({ version: '4' });
const SIGN_UP = { title: 'Create your volunteer account' };
const ABOUT_YOU = { title: 'About you', choices: PROFILE_CHOICES };
const PROFILE = { title: 'Your profile', choices: PROFILE_CHOICES };

/** The volunteer's pages: sign-up, dashboard, opportunities, profile, visits and their data. */
@Pages()
@PageFor(Role.Volunteer)
@Controller('volunteer')
export class VolunteerPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly session: WebSessionService,
    private readonly volunteers: VolunteersService,
    private readonly rights: VolunteerRightsService,
    private readonly invitations: InvitationsService,
    private readonly opportunities: OpportunitiesService,
    private readonly visits: VisitsService,
  ) {}

  @OpenPage()
  @Get('sign-up')
  signUpPage(@Req() req: Request, @Res() res: Response) {
    if (req.user) return res.redirect(HttpStatus.SEE_OTHER, homeOf(req.user as AuthUser));
    res.render('volunteer/sign-up', SIGN_UP);
  }

  @OpenPage()
  @Post('sign-up')
  signUp(@Req() req: Request, @Res() res: Response, @Body() body: FormBody) {
    if (req.user) return res.redirect(HttpStatus.SEE_OTHER, homeOf(req.user as AuthUser));
    return submitForm(
      res,
      { view: 'volunteer/sign-up', locals: SIGN_UP, values: body },
      async () => {
        const account = await this.auth.register(await accountDto(body));
        this.session.start(req, res, account);
        return '/volunteer/sign-up/profile';
      },
    );
  }

  @Get('sign-up/profile')
  async aboutYouPage(@CurrentUser() user: AuthUser, @Res() res: Response) {
    if (await this.profileOf(user)) return res.redirect(HttpStatus.SEE_OTHER, '/volunteer');
    res.render('volunteer/sign-up-profile', { ...ABOUT_YOU, values: SIGN_UP_DEFAULTS });
  }

  @Post('sign-up/profile')
  async aboutYou(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: FormBody) {
    if (await this.profileOf(user)) return res.redirect(HttpStatus.SEE_OTHER, '/volunteer');
    return submitForm(
      res,
      { view: 'volunteer/sign-up-profile', locals: ABOUT_YOU, values: postedProfileValues(body) },
      async () => {
        await this.volunteers.create(user, await newProfileDto(body));
        return '/volunteer';
      },
    );
  }

  @Get()
  async dashboard(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Query('done') done?: string,
  ) {
    const locals = await this.dashboardLocals(user);
    if (!locals) return res.redirect(HttpStatus.SEE_OTHER, '/volunteer/sign-up/profile');
    res.render('volunteer/dashboard', { ...locals, notice: noticeFor(done) });
  }

  @Post('invitations/:id/accept')
  async accept(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', uuid) id: string) {
    return this.onDashboard(user, res, async () => {
      await this.invitations.accept(user, id);
      return '/volunteer?done=accepted';
    });
  }

  @Post('invitations/:id/decline')
  async decline(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', uuid) id: string,
  ) {
    return this.onDashboard(user, res, async () => {
      await this.invitations.decline(user, id);
      return '/volunteer?done=declined';
    });
  }

  @Post('pause')
  pause(@CurrentUser() user: AuthUser, @Res() res: Response) {
    return this.onDashboard(user, res, async () => {
      await this.volunteers.setPaused(user, true);
      return '/volunteer?done=paused';
    });
  }

  @Post('resume')
  resume(@CurrentUser() user: AuthUser, @Res() res: Response) {
    return this.onDashboard(user, res, async () => {
      await this.volunteers.setPaused(user, false);
      return '/volunteer?done=resumed';
    });
  }

  @Get('opportunities')
  async opportunitiesPage(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Query('done') done?: string,
  ) {
    const locals = await this.opportunitiesLocals(user);
    if (!locals) return res.redirect(HttpStatus.SEE_OTHER, '/volunteer/sign-up/profile');
    res.render('volunteer/opportunities', { ...locals, notice: noticeFor(done) });
  }

  @Post('opportunities/:id/offers')
  async offer(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', uuid) requestId: string,
    @Body() body: FormBody,
  ) {
    if (!(await this.profileOf(user))) {
      return res.redirect(HttpStatus.SEE_OTHER, '/volunteer/sign-up/profile');
    }
    const locals = async () => (await this.opportunitiesLocals(user)) ?? {};
    return submitForm(res, { view: 'volunteer/opportunities', locals }, async () => {
      try {
        await this.invitations.offer(user, requestId, { slotId: text(body.slotId) ?? '' });
      } catch (error) {
        // The slot is a button, not a field: the message goes at the top of the page.
        if (error instanceof InvitationError) throw new InvitationError(error.code, error.message);
        throw error;
      }
      return '/volunteer/opportunities?done=offered';
    });
  }

  @Get('profile')
  async profilePage(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Query('done') done?: string,
  ) {
    const volunteer = await this.profileOf(user);
    if (!volunteer) return res.redirect(HttpStatus.SEE_OTHER, '/volunteer/sign-up/profile');
    const values = profileFormValues(volunteer);
    res.render('volunteer/profile', {
      ...PROFILE,
      values,
      unavailableRows: unavailableRows(values),
      notice: noticeFor(done),
    });
  }

  @Post('profile')
  async saveProfile(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: FormBody) {
    if (!(await this.profileOf(user))) {
      return res.redirect(HttpStatus.SEE_OTHER, '/volunteer/sign-up/profile');
    }
    return submitForm(
      res,
      {
        view: 'volunteer/profile',
        locals: { ...PROFILE, unavailableRows: unavailableRows(body) },
        values: postedProfileValues(body),
      },
      async () => {
        await this.volunteers.update(user, await profileChangesDto(body));
        return '/volunteer/profile?done=profile';
      },
    );
  }

  @Get('visits/:id')
  async visitPage(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', uuid) id: string,
    @Query('done') done?: string,
  ) {
    res.render('volunteer/visit', {
      ...(await this.visitLocals(user, id)),
      notice: noticeFor(done),
    });
  }

  @Get('visits/:id/calendar.ics')
  async calendar(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', uuid) id: string,
  ) {
    const ics = await this.visits.calendar(user, id);
    res.attachment('health-futures-visit.ics');
    res.type('text/calendar; charset=utf-8').send(ics);
  }

  @Post('visits/:id/feedback')
  async feedback(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', uuid) id: string,
    @Body() body: FormBody,
  ) {
    const locals = await this.visitLocals(user, id);
    return submitForm(res, { view: 'volunteer/visit', locals, values: body }, async () => {
      const dto = await validateForm(FeedbackDto, feedbackValues(body), ['rating', 'comment']);
      await this.visits.feedback(user, id, dto.rating, dto.comment);
      return `/volunteer/visits/${id}?done=feedback`;
    });
  }

  @Post('visits/:id/cancel')
  async cancelVisit(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', uuid) id: string,
    @Body() body: FormBody,
  ) {
    const locals = await this.visitLocals(user, id);
    return submitForm(res, { view: 'volunteer/visit', locals, values: body }, async () => {
      const dto = await validateForm(RequiredReasonDto, { reason: text(body.reason) ?? '' }, [
        'reason',
      ]);
      await this.visits.cancel(user, id, dto.reason);
      return `/volunteer/visits/${id}?done=cancelled`;
    });
  }

  @Get('my-data')
  async myData(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const data = await this.rights.export(user);
    res.attachment('health-futures-my-data.json');
    res.type('application/json').send(JSON.stringify(data, null, 2));
  }

  @Get('delete')
  deletePage(@Res() res: Response) {
    res.render('volunteer/delete', { title: 'Delete your account' });
  }

  @Post('delete')
  async delete(@CurrentUser() user: AuthUser, @Req() req: Request, @Res() res: Response) {
    await this.rights.erase(user);
    await this.session.signOut(req, res);
    res.redirect(HttpStatus.SEE_OTHER, '/volunteer/deleted');
  }

  @OpenPage()
  @Get('deleted')
  deleted(@Res() res: Response) {
    res.render('volunteer/deleted', { title: 'Your account is deleted' });
  }

  /** The profile, or null when the account has not made one yet. */
  private async profileOf(user: AuthUser): Promise<VolunteerDto | null> {
    try {
      return await this.volunteers.getMine(user);
    } catch (error) {
      if (error instanceof VolunteerError && error.code === VolunteerErrorCode.ProfileMissing) {
        return null;
      }
      throw error;
    }
  }

  private async dashboardLocals(user: AuthUser) {
    const volunteer = await this.profileOf(user);
    if (!volunteer) return null;
    const [invitations, visits] = await Promise.all([
      this.invitations.listMine(user),
      this.visits.listForVolunteer(user),
    ]);
    return {
      title: 'Your dashboard',
      columns: 'full',
      volunteer,
      ...dashboardView(invitations, visits),
    };
  }

  /** Answers on the dashboard: what the state forbids is shown there, above the lists. */
  private async onDashboard(user: AuthUser, res: Response, action: () => Promise<string>) {
    const locals = await this.dashboardLocals(user);
    if (!locals) return res.redirect(HttpStatus.SEE_OTHER, '/volunteer/sign-up/profile');
    return submitForm(res, { view: 'volunteer/dashboard', locals }, action);
  }

  private async opportunitiesLocals(user: AuthUser) {
    const volunteer = await this.profileOf(user);
    if (!volunteer) return null;
    const found = await this.opportunities.forVolunteer(user);
    return {
      title: 'Opportunities near you',
      columns: 'full',
      volunteer,
      requests: found.requests,
      schools: found.highNeedSchools,
    };
  }

  private async visitLocals(user: AuthUser, id: string) {
    const visit = visitView(await this.visits.get(user, id));
    return {
      title: `Visit to ${visit.school.name}`,
      visit,
      choices: PROFILE_CHOICES,
    };
  }
}
