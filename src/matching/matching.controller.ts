import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { Role } from '../users/user.entity';
import { CandidatesDto, CandidatesQueryDto } from './candidates.dto';
import { MatchingService } from './matching.service';
import { OpportunitiesService } from './opportunities.service';

@ApiTags('matching')
@ApiBearerAuth()
@Controller()
export class MatchingController {
  constructor(
    private readonly matching: MatchingService,
    private readonly opportunities: OpportunitiesService,
  ) {}

  @Roles(Role.SchoolStaff, Role.Coordinator)
  @Get('requests/:id/candidates')
  @ApiOperation({
    summary:
      'Volunteers who can take the request, best first, with the score breakdown (its school, coordinators)',
  })
  @ApiOkResponse({ type: CandidatesDto })
  candidates(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: CandidatesQueryDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.matching.candidates(user, id, query.limit);
  }

  @Roles(Role.Volunteer)
  @Get('volunteers/me/opportunities')
  @ApiOperation({
    summary:
      'Open requests I could take, and high-need schools near me with no recent visit (volunteer)',
  })
  mine(@CurrentUser() user: AuthUser) {
    return this.opportunities.forVolunteer(user);
  }
}
