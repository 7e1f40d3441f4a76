import {
  BadRequestException,
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthUser } from '../auth/current-user.decorator';
import { FieldValidationException } from '../common/http-exception.filter';
import { RequiredReasonDto } from '../common/reason.dto';
import { CoverageService } from '../coverage/coverage.service';
import type {
  ColdSpotQueryDto,
  CoverageQueryDto,
  TrendQueryDto,
} from '../coverage/dto/coverage-query.dto';
import { MembershipStatus } from '../memberships/school-membership.entity';
import { MembershipsService } from '../memberships/memberships.service';
import { Role } from '../users/user.entity';
import { VolunteerReviewService } from '../volunteers/volunteer-review.service';
import { VolunteerStatus } from '../volunteers/volunteer.enums';
import {
  type BoundaryFeature,
  type ColdSpot,
  COLD_SPOT_COLUMNS,
  coldSpotTable,
  COVERAGE_PATH,
  count,
  coverageMap,
  decisionMessage,
  figureList,
  findBoundary,
  laHref,
  laTable,
  nationalEquityTable,
  pageNumber,
  pagination,
  percent,
  regionalEquityTable,
  regionHref,
  regionTable,
  toCsv,
  trendTable,
} from './coordinator-pages';
import { type FormBody, formDto, formErrors, submitForm, text } from './forms';
import { PageFor, Pages } from './page.decorators';

/** A query-string value: one, several when the name repeats, or none. */
type QueryValue = string | string[];

const APPROVALS = '/coordinator/approvals';
const COVERAGE_CRUMB = { text: 'Coverage', href: COVERAGE_PATH };
const PENDING_SHOWN = 100;
const COLD_SPOTS_PER_PAGE = 20;
/** More than any area has: a download holds every cold spot, not one page. */
const ALL_ROWS = 100_000;

@Pages()
@PageFor(Role.Coordinator)
@Controller('coordinator')
export class CoordinatorPagesController {
  constructor(
    private readonly coverage: CoverageService,
    private readonly volunteers: VolunteerReviewService,
    private readonly memberships: MembershipsService,
  ) {}

  @Get('approvals')
  async approvals(@Req() req: Request, @Res() res: Response, @Query('done') done?: QueryValue) {
    res.render('coordinator/approvals', {
      ...(await this.approvalsLocals(req.user as AuthUser)),
      decision: decisionMessage(done),
    });
  }

  @Post('approvals/volunteers/:id/:decision')
  decideVolunteer(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('decision') decision: string,
    @Body() body: FormBody,
  ) {
    const user = req.user as AuthUser;
    return this.decide(res, body, user, `volunteer-${id}`, decision, async (reason) => {
      if (reason === undefined) await this.volunteers.approve(id, user);
      else await this.volunteers.reject(id, user, reason);
      return reason === undefined ? 'volunteer-approved' : 'volunteer-rejected';
    });
  }

  @Post('approvals/memberships/:id/:decision')
  decideMembership(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('decision') decision: string,
    @Body() body: FormBody,
  ) {
    const user = req.user as AuthUser;
    return this.decide(res, body, user, `membership-${id}`, decision, async (reason) => {
      const status = reason === undefined ? MembershipStatus.Approved : MembershipStatus.Rejected;
      await this.memberships.decide(id, user, status, reason);
      return status === MembershipStatus.Approved ? 'membership-approved' : 'membership-rejected';
    });
  }

  @Get('coverage')
  async coveragePage(@Res() res: Response) {
    const asOf = await this.coverage.asOf({});
    const rows = await this.coverage.regions(defaults());
    const map = coverageMap(
      'region',
      this.coverage.boundaries('region') as BoundaryFeature[],
      rows,
      {
        title: 'Map of England’s regions coloured by the share of high-need schools reached',
        idPrefix: 'regions',
      },
    );
    res.render('coordinator/coverage', {
      title: 'Coverage',
      columns: 'full',
      asOf,
      map,
      table: regionTable(rows),
    });
  }

  @Get('coverage/local-authorities')
  async laPage(@Res() res: Response) {
    const asOf = await this.coverage.asOf({});
    const rows = await this.coverage.localAuthorities(defaults());
    const map = coverageMap('la', this.coverage.boundaries('la') as BoundaryFeature[], rows, {
      title: 'Map of local authorities coloured by the share of high-need schools reached',
      idPrefix: 'las',
    });
    res.render('coordinator/local-authorities', {
      title: 'Coverage by local authority',
      columns: 'full',
      breadcrumbs: [COVERAGE_CRUMB],
      asOf,
      map,
      table: laTable(rows, { withRegion: true }),
    });
  }

  @Get('coverage/regions/:code')
  async regionPage(
    @Res() res: Response,
    @Param('code') code: string,
    @Query('page') rawPage?: QueryValue,
  ) {
    const page = this.page(rawPage);
    const asOf = await this.coverage.asOf({});
    const region = (await this.coverage.regions(defaults())).find((r) => r.regionCode === code);
    if (!region) throw new NotFoundException(`There is no region with the code ${code}`);
    const [rows, coldSpots] = await Promise.all([
      this.coverage.localAuthorities(defaults({ region: code })),
      this.coldSpots({ region: code }, page),
    ]);
    const features = (this.coverage.boundaries('la') as BoundaryFeature[]).filter(
      (f) => f.properties.region_code === code,
    );
    const map = coverageMap('la', features, rows, {
      title: `Map of local authorities in ${String(region.region)}`,
      idPrefix: 'region-las',
    });
    const laCodes = new Map(rows.map((r) => [String(r.laCode), String(r.laGssCode)]));
    res.render('coordinator/region', {
      title: String(region.region),
      columns: 'full',
      breadcrumbs: [COVERAGE_CRUMB],
      asOf,
      code,
      figures: figureList(region),
      map,
      table: laTable(rows, { withRegion: false }),
      coldSpots: {
        ...coldSpots,
        table: coldSpotTable(coldSpots.items, { withLa: true, laCodes }),
        pagination: pagination(page, COLD_SPOTS_PER_PAGE, coldSpots.total, (p) =>
          pageHref(regionHref(code), p),
        ),
      },
    });
  }

  @Get('coverage/local-authorities/:code')
  async laDetailPage(
    @Res() res: Response,
    @Param('code') code: string,
    @Query('page') rawPage?: QueryValue,
  ) {
    const page = this.page(rawPage);
    const asOf = await this.coverage.asOf({});
    // The boundaries with each authority's figures in their properties.
    const withFigures = (await this.coverage.map('la')).features as BoundaryFeature[];
    const boundary = findBoundary(withFigures, code);
    if (!boundary) throw new NotFoundException(`There is no local authority with the code ${code}`);
    const gss = String(boundary.properties.code);
    const hasSchools = boundary.properties.laGssCode !== undefined;
    const region = {
      text: String(boundary.properties.region),
      href: regionHref(String(boundary.properties.region_code)),
    };
    const coldSpots = await this.coldSpots({ la: gss }, page);
    res.render('coordinator/local-authority', {
      title: String(boundary.properties.name),
      columns: 'full',
      breadcrumbs: [COVERAGE_CRUMB, region],
      asOf,
      gss,
      region,
      hasSchools,
      figures: figureList(hasSchools ? boundary.properties : undefined),
      coldSpots: {
        ...coldSpots,
        table: coldSpotTable(coldSpots.items, { withLa: false }),
        pagination: pagination(page, COLD_SPOTS_PER_PAGE, coldSpots.total, (p) =>
          pageHref(laHref(gss), p),
        ),
      },
    });
  }

  @Get('coverage/regions.csv')
  async regionsCsv(@Res() res: Response) {
    sendCsv(res, 'coverage-regions.csv', await this.coverage.regions(defaults()));
  }

  @Get('coverage/local-authorities.csv')
  async localAuthoritiesCsv(@Res() res: Response, @Query('region') regionParam?: QueryValue) {
    const region = text(regionParam);
    if (region) await this.knownRegion(region);
    const rows = await this.coverage.localAuthorities(defaults({ region }));
    sendCsv(res, `coverage-local-authorities${region ? `-${region}` : ''}.csv`, rows);
  }

  @Get('coverage/cold-spots.csv')
  async coldSpotsCsv(
    @Res() res: Response,
    @Query('region') regionParam?: QueryValue,
    @Query('la') laParam?: QueryValue,
  ) {
    const [region, la] = [text(regionParam), text(laParam)];
    if (region) await this.knownRegion(region);
    if (la && !findBoundary(this.coverage.boundaries('la') as BoundaryFeature[], la)) {
      throw new NotFoundException(`There is no local authority with the code ${la}`);
    }
    const { items } = await this.coverage.coldSpots({
      ...defaults({ region, la }),
      pageSize: ALL_ROWS,
    } as ColdSpotQueryDto);
    const area = la ?? region;
    sendCsv(
      res,
      `cold-spots${area ? `-${area}` : ''}.csv`,
      items as Record<string, unknown>[],
      COLD_SPOT_COLUMNS,
    );
  }

  @Get('equity')
  async equityPage(@Res() res: Response) {
    const asOf = await this.coverage.asOf({});
    const [equity, trend] = await Promise.all([
      this.coverage.equity(defaults()),
      this.coverage.trend({ ...defaults(), months: 12 } as TrendQueryDto),
    ]);
    res.render('coordinator/equity', {
      title: 'Equity and trend',
      columns: 'full',
      asOf,
      campaign: {
        ...equity.campaign,
        schoolsText: count(equity.campaign.schools),
        reachedText: count(equity.campaign.reached),
        progressText: percent(equity.campaign.progressPct),
      },
      national: nationalEquityTable(equity.rows),
      regional: regionalEquityTable(equity.rows),
      trend: trendTable(trend),
    });
  }

  @Get('equity.csv')
  async equityCsv(@Res() res: Response) {
    sendCsv(res, 'equity.csv', (await this.coverage.equity(defaults())).rows);
  }

  @Get('trend.csv')
  async trendCsv(@Res() res: Response) {
    const rows = await this.coverage.trend({ ...defaults(), months: 12 } as TrendQueryDto);
    sendCsv(res, 'trend.csv', rows);
  }

  private async approvalsLocals(user: AuthUser) {
    const query = { page: 1, pageSize: PENDING_SHOWN };
    const [volunteers, memberships] = await Promise.all([
      this.volunteers.list({ ...query, status: VolunteerStatus.Pending }, user),
      this.memberships.list(user, { ...query, status: MembershipStatus.Pending }),
    ]);
    return { title: 'Approvals', volunteers, memberships };
  }

  /**
   * Approves, or rejects with a reason. Each form on the page names its reason field after the
   * person it is about, so that an error points at the right one of many forms.
   */
  private decide(
    res: Response,
    body: FormBody,
    user: AuthUser,
    prefix: string,
    decision: string,
    action: (reason: string | undefined) => Promise<string>,
  ) {
    if (decision !== 'approve' && decision !== 'reject') throw new NotFoundException();
    // Filled only when the page is shown again with errors, so that a decision that succeeds
    // costs no listing (each listing of volunteers is audited).
    const locals: Record<string, unknown> = {};
    return submitForm(res, { view: 'coordinator/approvals', locals, values: body }, async () => {
      try {
        let reason: string | undefined;
        if (decision === 'reject') {
          reason = (
            await withPrefix(prefix, formDto(RequiredReasonDto, { reason: text(body.reason) }))
          ).reason;
        }
        return `${APPROVALS}?done=${await action(reason)}`;
      } catch (error) {
        if (formErrors(error)) Object.assign(locals, await this.approvalsLocals(user));
        throw error;
      }
    });
  }

  private page(raw: QueryValue | undefined): number {
    const page = pageNumber(raw);
    if (page === null) throw new BadRequestException('page must be a whole number from 1');
    return page;
  }

  private async coldSpots(area: { region?: string; la?: string }, page: number) {
    const result = await this.coverage.coldSpots({
      ...defaults(area),
      page,
      pageSize: COLD_SPOTS_PER_PAGE,
    } as ColdSpotQueryDto);
    if (page > 1 && result.items.length === 0) throw new NotFoundException('No such page');
    return { ...result, items: result.items as ColdSpot[] };
  }

  private async knownRegion(region: string) {
    const rows = await this.coverage.regions(defaults());
    if (
      !rows.some((r) => r.regionCode !== null && (r.regionCode === region || r.region === region))
    ) {
      throw new NotFoundException(`There is no region ${region}`);
    }
  }
}

/** A query for the default window (the last 365 days), as the DTO's defaults make it. */
function defaults(area: { region?: string; la?: string } = {}): CoverageQueryDto {
  return { page: 1, pageSize: 20, ...area } as CoverageQueryDto;
}

function pageHref(path: string, page: number): string {
  return page === 1 ? path : `${path}?page=${page}`;
}

/** A reason's field errors, named after the form they came from and said in plain words. */
async function withPrefix<T>(prefix: string, promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof FieldValidationException) {
      throw new FieldValidationException(
        error.errors.map((e) => ({
          ...e,
          field: `${prefix}-${e.field}`,
          message: 'Enter a reason of 3 to 500 characters: we send it to them',
        })),
      );
    }
    throw error;
  }
}

function sendCsv(
  res: Response,
  filename: string,
  rows: readonly Record<string, unknown>[],
  columns?: readonly string[],
) {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
  );
  res.send(toCsv(rows, columns));
}
