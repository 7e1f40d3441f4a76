import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { OptionalReasonDto, RequiredReasonDto } from '../common/reason.dto';
import { Role } from '../users/user.entity';
import { VolunteerQueryDto } from './dto/volunteer-query.dto';
import { CreateVolunteerDto, UpdateVolunteerDto } from './dto/volunteer-profile.dto';
import { VolunteerDto, VolunteerPageDto } from './dto/volunteer.dto';
import { VolunteerImportService } from './volunteer-import.service';
import { VolunteerReviewService } from './volunteer-review.service';
import { VolunteerRightsService } from './volunteer-rights.service';
import { VolunteersService } from './volunteers.service';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('volunteers')
@ApiBearerAuth()
@Controller('volunteers')
export class VolunteersController {
  constructor(
    private readonly volunteers: VolunteersService,
    private readonly review: VolunteerReviewService,
    private readonly rights: VolunteerRightsService,
    private readonly cohorts: VolunteerImportService,
  ) {}

  @Roles(Role.Volunteer)
  @Post()
  @ApiOperation({
    summary: 'Create my volunteer profile: displayName, profession, postcode (volunteer)',
  })
  @ApiCreatedResponse({ type: VolunteerDto })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateVolunteerDto) {
    return this.volunteers.create(user, dto);
  }

  @Roles(Role.Volunteer)
  @Get('me')
  @ApiOperation({ summary: 'My profile (volunteer)' })
  @ApiOkResponse({ type: VolunteerDto })
  me(@CurrentUser() user: AuthUser) {
    return this.volunteers.getMine(user);
  }

  @Roles(Role.Volunteer)
  @Patch('me')
  @ApiOperation({ summary: 'Change my profile, availability, registration or checks (volunteer)' })
  @ApiOkResponse({ type: VolunteerDto })
  update(@CurrentUser() user: AuthUser, @Body() dto: UpdateVolunteerDto) {
    return this.volunteers.update(user, dto);
  }

  @Roles(Role.Volunteer)
  @Post('me/pause')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Take a break: no school is offered me until I resume (volunteer)' })
  @ApiOkResponse({ type: VolunteerDto })
  pause(@CurrentUser() user: AuthUser) {
    return this.volunteers.setPaused(user, true);
  }

  @Roles(Role.Volunteer)
  @Post('me/resume')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Come back from a break (volunteer)' })
  @ApiOkResponse({ type: VolunteerDto })
  resume(@CurrentUser() user: AuthUser) {
    return this.volunteers.setPaused(user, false);
  }

  @Roles(Role.Volunteer)
  @Get('me/export')
  @Header('Content-Disposition', 'attachment; filename="health-futures-my-data.json"')
  @ApiOperation({ summary: 'Everything held about me, as JSON (volunteer)' })
  export(@CurrentUser() user: AuthUser) {
    return this.rights.export(user);
  }

  @Roles(Role.Volunteer)
  @Delete('me')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Erase my account and personal data; visit counts stay, anonymous (volunteer)',
  })
  @ApiNoContentResponse()
  erase(@CurrentUser() user: AuthUser) {
    return this.rights.erase(user);
  }

  @Roles(Role.Coordinator)
  @Get()
  @ApiOperation({
    summary: 'List volunteers, e.g. the review queue with status=pending (coordinator; audited)',
  })
  @ApiOkResponse({ type: VolunteerPageDto })
  list(@Query() query: VolunteerQueryDto, @CurrentUser() user: AuthUser) {
    return this.review.list(query, user);
  }

  @Roles(Role.Coordinator)
  @Post('import')
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'CSV with a header row: name, email, profession, postcode; optional organisation, specialty, medical_school, study_year',
    schema: { type: 'string' },
  })
  @ApiOperation({
    summary:
      'Invite a cohort from a CSV: pending accounts finish sign-up by e-mailed link (coordinator)',
  })
  importCohort(@Body() csv: string, @CurrentUser() user: AuthUser) {
    return this.cohorts.importCohort(csv, user);
  }

  @Roles(Role.Volunteer, Role.Coordinator)
  @Get(':id')
  @ApiOperation({ summary: 'One profile (coordinator, audited; or the volunteer themselves)' })
  @ApiOkResponse({ type: VolunteerDto })
  get(@Param('id', uuid) id: string, @CurrentUser() user: AuthUser) {
    return this.review.get(id, user);
  }

  @Roles(Role.Coordinator)
  @Post(':id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Approve a volunteer to be offered to schools (coordinator)' })
  @ApiOkResponse({ type: VolunteerDto })
  approve(
    @Param('id', uuid) id: string,
    @Body() dto: OptionalReasonDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.review.approve(id, user, dto.reason);
  }

  @Roles(Role.Coordinator)
  @Post(':id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Reject a volunteer, with the reason they are told (coordinator)' })
  @ApiOkResponse({ type: VolunteerDto })
  reject(
    @Param('id', uuid) id: string,
    @Body() dto: RequiredReasonDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.review.reject(id, user, dto.reason);
  }
}
