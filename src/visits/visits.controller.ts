import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { RequiredReasonDto } from '../common/reason.dto';
import { UrnPipe } from '../common/urn.pipe';
import { Role } from '../users/user.entity';
import { CompleteVisitDto, FeedbackDto, VisitDto } from './dto/visit.dto';
import { VisitsService } from './visits.service';

@ApiTags('visits')
@ApiBearerAuth()
@Controller('visits')
export class VisitsController {
  constructor(private readonly visits: VisitsService) {}

  @Get(':id')
  @ApiOperation({
    summary: 'A visit, with both sides’ contact details (its volunteer, its school, coordinators)',
  })
  @ApiOkResponse({ type: VisitDto })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    return this.visits.get(user, id);
  }

  @Roles(Role.Volunteer, Role.SchoolStaff)
  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Call off a visit to come, with a reason (its volunteer or its school)',
  })
  @ApiOkResponse({ type: VisitDto })
  cancel(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RequiredReasonDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.visits.cancel(user, id, dto.reason);
  }

  @Roles(Role.SchoolStaff)
  @Post(':id/complete')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Record that the visit happened and how many pupils it reached (its school)',
  })
  @ApiOkResponse({ type: VisitDto })
  complete(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CompleteVisitDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.visits.complete(user, id, dto.pupilsReached);
  }

  @Roles(Role.Volunteer, Role.SchoolStaff)
  @Post(':id/feedback')
  @ApiOperation({ summary: 'Rate a completed visit, once per side (its volunteer or its school)' })
  @ApiOkResponse({ type: VisitDto })
  feedback(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: FeedbackDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.visits.feedback(user, id, dto.rating, dto.comment);
  }

  @Get(':id/calendar.ics')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="health-futures-visit.ics"')
  @ApiProduces('text/calendar')
  @ApiOperation({
    summary: 'The visit as a calendar event (its volunteer, its school, coordinators)',
  })
  calendar(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    return this.visits.calendar(user, id);
  }
}

@ApiTags('visits')
@ApiBearerAuth()
@Controller()
export class VisitListsController {
  constructor(private readonly visits: VisitsService) {}

  @Roles(Role.Volunteer)
  @Get('volunteers/me/visits')
  @ApiOperation({ summary: 'My visits: coming ones first, then past ones (volunteer)' })
  @ApiOkResponse({ type: VisitDto, isArray: true })
  mine(@CurrentUser() user: AuthUser) {
    return this.visits.listForVolunteer(user);
  }

  @Roles(Role.SchoolStaff, Role.Coordinator)
  @Get('schools/:urn/visits')
  @ApiOperation({ summary: "A school's visits: coming ones first (its members, coordinators)" })
  @ApiOkResponse({ type: VisitDto, isArray: true })
  forSchool(@Param('urn', UrnPipe) urn: number, @CurrentUser() user: AuthUser) {
    return this.visits.listForSchool(user, urn);
  }
}
