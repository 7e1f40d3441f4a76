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
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { RequiredReasonDto } from '../common/reason.dto';
import { Role } from '../users/user.entity';
import { CreateRequestDto, RequestDto, RequestQueryDto } from './dto/request.dto';
import { RequestsService } from './requests.service';
import { UrnPipe } from '../common/urn.pipe';

@ApiTags('requests')
@ApiBearerAuth()
@Controller()
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  @Roles(Role.SchoolStaff)
  @Post('schools/:urn/requests')
  @ApiOperation({
    summary: 'Ask for a visit, with one to five proposed times (approved member of the school)',
  })
  @ApiCreatedResponse({ type: RequestDto })
  create(
    @Param('urn', UrnPipe) urn: number,
    @Body() dto: CreateRequestDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.requests.create(user, urn, dto);
  }

  @Roles(Role.SchoolStaff, Role.Coordinator)
  @Get('schools/:urn/requests')
  @ApiOperation({ summary: "The school's requests (approved member of the school, coordinator)" })
  list(
    @Param('urn', UrnPipe) urn: number,
    @Query() query: RequestQueryDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.requests.listForSchool(user, urn, query);
  }

  @Get('requests/:id')
  @ApiOperation({
    summary: 'One request (its school, coordinators; volunteers while it is open or theirs)',
  })
  @ApiOkResponse({ type: RequestDto })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    return this.requests.get(user, id);
  }

  @Roles(Role.SchoolStaff)
  @Post('requests/:id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Cancel a request and its visits to come, with a reason (approved member of the school)',
  })
  @ApiOkResponse({ type: RequestDto })
  cancel(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RequiredReasonDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.requests.cancel(user, id, dto.reason);
  }
}
