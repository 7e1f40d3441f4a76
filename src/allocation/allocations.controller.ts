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
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { Role } from '../users/user.entity';
import { AllocationsService } from './allocations.service';
import { AllocationQueryDto, CreateAllocationDto } from './dto/allocation.dto';

@ApiTags('allocations')
@ApiBearerAuth()
@Roles(Role.Coordinator)
@Controller('allocations')
export class AllocationsController {
  constructor(private readonly allocations: AllocationsService) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start a batch allocation for a region or local authorities over a term (coordinator)',
  })
  @ApiAcceptedResponse({ description: 'Queued; follow it at GET /allocations/:id' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateAllocationDto) {
    return this.allocations.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Allocations, newest first, with their status (coordinator)' })
  list(@Query() query: AllocationQueryDto) {
    return this.allocations.list(query);
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'An allocation: proposals, objective, bound and gap, the greedy comparison, and why requests were left short (coordinator)',
  })
  findOne(@Param('id', ParseUUIDPipe) id: string) {
    return this.allocations.findOne(id);
  }

  @Post(':id/apply')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: "Send the proposals as the schools' invitations, once (coordinator)" })
  apply(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.allocations.apply(user, id);
  }
}
