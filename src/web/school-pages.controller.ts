import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuthService } from '../auth/auth.service';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { RegisterDto } from '../auth/dto/credentials.dto';
import { OptionalReasonDto, RequiredReasonDto } from '../common/reason.dto';
import { UrnPipe } from '../common/urn.pipe';
import { DataSource } from 'typeorm';
import { CreateInvitationDto } from '../invitations/dto/invitation.dto';
import { InvitationKind } from '../invitations/invitation.entity';
import { InvitationsService } from '../invitations/invitations.service';
import { MatchingService } from '../matching/matching.service';
import { MembershipStatus } from '../memberships/school-membership.entity';
import { MembershipsService } from '../memberships/memberships.service';
import { RequestMembershipDto } from '../memberships/dto/membership.dto';
import { CreateRequestDto } from '../requests/dto/request.dto';
import { RequestStatus } from '../requests/visit-request.entity';
import { RequestsService } from '../requests/requests.service';
import { SchoolsService } from '../schools/schools.service';
import { Role } from '../users/user.entity';
import { CompleteVisitDto, FeedbackDto } from '../visits/dto/visit.dto';
import { VisitsService } from '../visits/visits.service';
import { Activity, VisitFormat } from '../volunteers/volunteer.enums';
import { type FormBody, formDto, submitForm, text, whole } from './forms';
import { ACTIVITY_NAMES, choices, FORMAT_NAMES, ukDate } from './labels';
import { OpenPage, PageFor, Pages } from './page.decorators';
import { rankingReasons, requestFromForm, SLOT_ROWS, slotRows, schoolSearch } from './school-pages';
import { WebSessionService } from './web-session.service';

const CANDIDATES_SHOWN = 10;

/** The school journey: sign up, find the school, ask for visits, invite, confirm, follow up. */
@Pages()
@PageFor(Role.SchoolStaff)
@Controller('school')
export class SchoolPagesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auth: AuthService,
    private readonly session: WebSessionService,
    private readonly schools: SchoolsService,
    private readonly memberships: MembershipsService,
    private readonly requests: RequestsService,
    private readonly matching: MatchingService,
    private readonly invitations: InvitationsService,
    private readonly visits: VisitsService,
  ) {}

  @Get('sign-up')
  @OpenPage()
  signUpPage(@Res() res: Response) {
    res.render('school/sign-up', { title: 'Create your school staff account' });
  }

  @Post('sign-up')
  @OpenPage()
  signUp(@Req() req: Request, @Res() res: Response, @Body() body: FormBody) {
    const form = { view: 'school/sign-up', locals: { title: 'Create your school staff account' } };
    return submitForm(res, { ...form, values: body }, async () => {
      const dto = await formDto(RegisterDto, {
        email: text(body.email),
        password: body.password ?? '',
        role: Role.SchoolStaff,
      });
      this.session.start(req, res, await this.auth.register(dto));
      return '/school/find';
    });
  }

  @Get()
  async dashboard(@Req() req: Request, @Res() res: Response) {
    const user = req.user as AuthUser;
    const { items } = await this.memberships.list(user, { page: 1, pageSize: 100 });
    const schools = await Promise.all(
      items
        .filter((m) => m.status === MembershipStatus.Approved)
        .map(async (m) => ({
          membership: m,
          requests: (
            await this.requests.listForSchool(user, m.schoolUrn, { page: 1, pageSize: 50 })
          ).items,
          visits: await this.visits.listForSchool(user, m.schoolUrn),
        })),
    );
    res.render('school/dashboard', {
      title: 'Your school',
      schools,
      waiting: items.filter((m) => m.status === MembershipStatus.Pending),
      rejected: items.filter((m) => m.status === MembershipStatus.Rejected),
      now: new Date(),
    });
  }

  @Get('find')
  async find(@Res() res: Response, @Query('q') q?: string) {
    const query = typeof q === 'string' ? q.trim() : '';
    const locals: Record<string, unknown> = {
      title: 'Find your school',
      query,
      backHref: '/school',
    };
    if (query.length === 1) {
      locals.errors = [{ field: 'q', message: 'Enter at least 2 characters' }];
      locals.errorList = [{ text: 'Enter at least 2 characters', href: '#q' }];
      locals.errorFor = { q: { text: 'Enter at least 2 characters' } };
    } else if (query) {
      locals.results = await this.schools.search({
        ...schoolSearch(query),
        page: 1,
        pageSize: 20,
      } as never);
    }
    res.render('school/find', locals);
  }

  @Get('schools/:urn/ask')
  async askPage(@Param('urn', UrnPipe) urn: number, @Res() res: Response) {
    res.render('school/ask', await this.askLocals(urn));
  }

  @Post('schools/:urn/ask')
  async ask(
    @Param('urn', UrnPipe) urn: number,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const form = { view: 'school/ask', locals: () => this.askLocals(urn), values: body };
    return submitForm(res, form, async () => {
      const dto = await formDto(RequestMembershipDto, { jobTitle: text(body.jobTitle) });
      await this.memberships.ask(req.user as AuthUser, urn, dto.jobTitle);
      return '/school';
    });
  }

  @Get('schools/:urn/requests/new')
  async newRequestPage(
    @Param('urn', UrnPipe) urn: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    res.render('school/new-request', await this.newRequestLocals(req.user as AuthUser, urn));
  }

  @Post('schools/:urn/requests/new')
  async createRequest(
    @Param('urn', UrnPipe) urn: number,
    @Req() req: Request,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    const user = req.user as AuthUser;
    const locals = async () => ({
      ...(await this.newRequestLocals(user, urn)),
      slotValues: slotRows(body),
    });
    return submitForm(res, { view: 'school/new-request', locals, values: body }, async () => {
      const dto = await formDto(CreateRequestDto, requestFromForm(body));
      const created = await this.requests.create(user, urn, dto);
      return `/school/requests/${created.id}`;
    });
  }

  @Get('requests/:id')
  async requestPage(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ) {
    res.render('school/request', await this.requestLocals(user, id));
  }

  @Post('requests/:id/invitations')
  invite(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    return this.onRequestPage(res, user, id, body, async () => {
      const dto = await formDto(CreateInvitationDto, {
        volunteerId: text(body.volunteerId),
        slotId: text(body.slotId),
        message: text(body.message),
      });
      await this.invitations.invite(user, id, dto);
      return `/school/requests/${id}?invited=1`;
    });
  }

  @Post('requests/:id/offers/:offerId/confirm')
  confirmOffer(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('offerId', ParseUUIDPipe) offerId: string,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ) {
    return this.onRequestPage(res, user, id, {}, async () => {
      const accepted = await this.invitations.accept(user, offerId);
      return `/school/visits/${accepted.visit.id}`;
    });
  }

  @Post('requests/:id/offers/:offerId/decline')
  declineOffer(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('offerId', ParseUUIDPipe) offerId: string,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ) {
    return this.onRequestPage(res, user, id, {}, async () => {
      await this.invitations.decline(user, offerId);
      return `/school/requests/${id}`;
    });
  }

  @Post('requests/:id/cancel')
  cancelRequest(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    return this.onRequestPage(res, user, id, body, async () => {
      const { reason } = await formDto(OptionalReasonDto, { reason: text(body.reason) });
      await this.requests.cancel(user, id, reason ?? 'Cancelled by the school');
      return `/school/requests/${id}`;
    });
  }

  @Get('visits/:id')
  async visitPage(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ) {
    res.render('school/visit', await this.visitLocals(user, id));
  }

  @Post('visits/:id/complete')
  complete(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    return this.onVisitPage(res, user, id, body, async () => {
      const dto = await formDto(CompleteVisitDto, { pupilsReached: whole(body.pupilsReached) });
      await this.visits.complete(user, id, dto.pupilsReached);
    });
  }

  @Post('visits/:id/feedback')
  feedback(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    return this.onVisitPage(res, user, id, body, async () => {
      const dto = await formDto(FeedbackDto, {
        rating: whole(body.rating),
        comment: text(body.comment),
      });
      await this.visits.feedback(user, id, dto.rating, dto.comment);
    });
  }

  @Post('visits/:id/cancel')
  cancelVisit(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Body() body: FormBody,
  ) {
    return this.onVisitPage(res, user, id, body, async () => {
      const dto = await formDto(RequiredReasonDto, { reason: text(body.reason) });
      await this.visits.cancel(user, id, dto.reason);
    });
  }

  /** A form on a request's page: when it cannot be done, the page is shown again around it. */
  private onRequestPage(
    res: Response,
    user: AuthUser,
    id: string,
    body: FormBody,
    action: () => Promise<string>,
  ) {
    const locals = () => this.requestLocals(user, id);
    return submitForm(res, { view: 'school/request', locals, values: body }, action);
  }

  /** A form on a visit's page, which comes back to that page. */
  private onVisitPage(
    res: Response,
    user: AuthUser,
    id: string,
    body: FormBody,
    action: () => Promise<unknown>,
  ) {
    const locals = () => this.visitLocals(user, id);
    return submitForm(res, { view: 'school/visit', locals, values: body }, async () => {
      await action();
      return `/school/visits/${id}`;
    });
  }

  private async askLocals(urn: number) {
    const school = await this.schools.findOne(urn);
    return { title: `Ask to represent ${school.name}`, school, backHref: '/school/find' };
  }

  private async newRequestLocals(user: AuthUser, urn: number) {
    await this.memberships.assertMember(this.dataSource.manager, user, urn);
    const school = await this.schools.findOne(urn);
    return {
      title: 'Ask for a visit',
      school,
      backHref: '/school',
      activities: choices(ACTIVITY_NAMES),
      formats: choices(FORMAT_NAMES),
      slotRows: SLOT_ROWS,
      slotValues: [],
    };
  }

  private async requestLocals(user: AuthUser, id: string) {
    const request = await this.requests.get(user, id);
    const [candidates, invitations] = await Promise.all([
      request.status === RequestStatus.Open
        ? this.matching.candidates(user, id, CANDIDATES_SHOWN)
        : Promise.resolve(undefined),
      this.invitations.listForRequest(user, id),
    ]);
    const virtual = request.format === VisitFormat.Virtual;
    return {
      title: `${ACTIVITY_NAMES[request.activity as Activity]} for years ${request.yearGroups.join(', ')}`,
      request,
      backHref: '/school',
      candidates: candidates && {
        ...candidates,
        items: candidates.items.map((c) => ({
          ...c,
          reasons: rankingReasons(c.breakdown, c.distanceKm, virtual),
          slots: request.slots.filter((slot) => c.freeSlotIds.includes(slot.id)),
        })),
      },
      offers: invitations.filter((i) => i.kind === InvitationKind.Offer),
      invitations: invitations.filter((i) => i.kind === InvitationKind.Invitation),
    };
  }

  private async visitLocals(user: AuthUser, id: string) {
    const visit = await this.visits.get(user, id);
    return {
      title: `Visit on ${ukDate(visit.startsAt)}`,
      visit,
      backHref: '/school',
      started: new Date(visit.startsAt) <= new Date(),
      schoolFeedback: visit.feedback.find((f) => f.side === 'school'),
    };
  }
}
