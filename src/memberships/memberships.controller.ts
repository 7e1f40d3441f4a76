import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { OptionalReasonDto, RequiredReasonDto } from '../common/reason.dto';
import { Role } from '../users/user.entity';
import { MembershipDto, MembershipQueryDto, RequestMembershipDto } from './dto/membership.dto';
import { MembershipsService } from './memberships.service';
import { MembershipStatus } from './school-membership.entity';
import { UrnPipe } from '../common/urn.pipe';

@ApiTags('school staff')
@ApiBearerAuth()
@Controller()
export class MembershipsController {
  constructor(private readonly memberships: MembershipsService) {}

  @Roles(Role.SchoolStaff)
  @Post('schools/:urn/memberships')
  @ApiOperation({ summary: 'Ask to represent a school, giving a job title (school staff)' })
  @ApiOkResponse({ type: MembershipDto })
  ask(
    @Param('urn', UrnPipe) urn: number,
    @Body() dto: RequestMembershipDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.memberships.ask(user, urn, dto.jobTitle);
  }

  @Roles(Role.SchoolStaff, Role.Coordinator)
  @Get('memberships')
  @ApiOperation({
    summary: 'Requests to represent schools: all (coordinator) or my own (school staff)',
  })
  list(@Query() query: MembershipQueryDto, @CurrentUser() user: AuthUser) {
    return this.memberships.list(user, query);
  }

  @Roles(Role.Coordinator)
  @Post('memberships/:id/approve')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Confirm that a member of staff acts for the school (coordinator)' })
  @ApiOkResponse({ type: MembershipDto })
  approve(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: OptionalReasonDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.memberships.decide(id, user, MembershipStatus.Approved, dto.reason);
  }

  @Roles(Role.Coordinator)
  @Post('memberships/:id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Refuse, with the reason the member of staff is told (coordinator)' })
  @ApiOkResponse({ type: MembershipDto })
  reject(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RequiredReasonDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.memberships.decide(id, user, MembershipStatus.Rejected, dto.reason);
  }
}
