import { Body, Controller, Delete, Get, Header, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { CsvInterceptor } from '../common/csv.interceptor';
import { Role } from '../users/user.entity';
import { CoverageService } from './coverage.service';
import { ColdSpotQueryDto, CoverageQueryDto, MapQueryDto, TrendQueryDto } from './dto/coverage-query.dto';
import { OutreachQueryDto, RecordOutreachDto } from './dto/outreach.dto';
import { OutreachService } from './outreach.service';

/** The time the coverage figures of an answer were taken. */
export const AS_OF_HEADER = 'Coverage-As-Of';

@ApiTags('coverage')
@ApiBearerAuth()
@Roles(Role.Coordinator)
@Controller('coverage')
export class CoverageController {
  constructor(
    private readonly coverage: CoverageService,
    private readonly outreach: OutreachService,
  ) {}

  @Get('regions')
  @UseInterceptors(CsvInterceptor)
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Coverage per English region, and the national total (coordinator)' })
  async regions(@Query() query: CoverageQueryDto, @Res({ passthrough: true }) res: Response) {
    await this.reportAsOf(query, res);
    return this.coverage.regions(query);
  }

  @Get('local-authorities')
  @UseInterceptors(CsvInterceptor)
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Coverage per local authority, optionally in one region (coordinator)' })
  async localAuthorities(@Query() query: CoverageQueryDto, @Res({ passthrough: true }) res: Response) {
    await this.reportAsOf(query, res);
    return this.coverage.localAuthorities(query);
  }

  @Get('cold-spots')
  @UseInterceptors(CsvInterceptor)
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'High-need schools that nobody reaches, neediest first (coordinator)' })
  async coldSpots(@Query() query: ColdSpotQueryDto, @Res({ passthrough: true }) res: Response) {
    await this.reportAsOf(query, res);
    return this.coverage.coldSpots(query);
  }

  @Get('equity')
  @UseInterceptors(CsvInterceptor)
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Schools and pupils reached by FSM quintile, and campaign progress (coordinator)' })
  async equity(@Query() query: CoverageQueryDto, @Res({ passthrough: true }) res: Response) {
    await this.reportAsOf(query, res);
    return this.coverage.equity(query);
  }

  @Get('trend')
  @UseInterceptors(CsvInterceptor)
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Visits completed and schools reached per month (coordinator)' })
  trend(@Query() query: TrendQueryDto) {
    return this.coverage.trend(query);
  }

  @Get('map.geojson')
  @Header('Content-Type', 'application/geo+json; charset=utf-8')
  @ApiProduces('application/geo+json')
  @ApiOperation({ summary: 'Region or LA boundaries with their coverage figures (coordinator)' })
  async map(@Query() query: MapQueryDto, @Res({ passthrough: true }) res: Response) {
    await this.reportAsOf(query, res);
    return this.coverage.map(query.level, query.since);
  }

  @Post('outreach')
  @ApiOperation({ summary: 'Record outreach that happened outside the service (coordinator)' })
  record(@Body() dto: RecordOutreachDto, @CurrentUser() user: AuthUser) {
    return this.outreach.record(user, dto);
  }

  @Post('outreach/import')
  @HttpCode(HttpStatus.OK)
  @ApiConsumes('text/csv')
  @ApiOperation({ summary: 'Record outreach from a CSV: urn, date, pupils_reached, activity (coordinator)' })
  importOutreach(@Body() csv: string, @CurrentUser() user: AuthUser) {
    return this.outreach.import(user, csv);
  }

  @Get('outreach')
  @ApiOperation({ summary: 'Outreach recorded outside the service (coordinator)' })
  listOutreach(@Query() query: OutreachQueryDto) {
    return this.outreach.list(query);
  }

  @Delete('outreach/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a record of outreach (coordinator)' })
  removeOutreach(@Param('id', ParseUUIDPipe) id: string) {
    return this.outreach.remove(id);
  }

  /** When the figures were taken, as a header so that JSON, CSV and GeoJSON keep their shape. */
  private async reportAsOf(query: { since?: Date }, res: Response) {
    res.setHeader(AS_OF_HEADER, (await this.coverage.asOf(query)).toISOString());
  }
}
