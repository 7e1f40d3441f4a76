import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
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
import { Role } from '../users/user.entity';
import {
  AcceptedDto,
  CreateInvitationDto,
  CreateOfferDto,
  DeclineDto,
  InvitationDto,
} from './dto/invitation.dto';
import { InvitationsService } from './invitations.service';

@ApiTags('invitations')
@ApiBearerAuth()
@Controller()
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Roles(Role.SchoolStaff)
  @Post('requests/:id/invitations')
  @ApiOperation({
    summary: 'Invite a candidate for one slot, with a message (approved member of the school)',
  })
  @ApiCreatedResponse({ type: InvitationDto })
  invite(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateInvitationDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.invitations.invite(user, id, dto);
  }

  @Roles(Role.SchoolStaff, Role.Coordinator)
  @Get('requests/:id/invitations')
  @ApiOperation({ summary: "A request's invitations and offers (its school, coordinators)" })
  @ApiOkResponse({ type: [InvitationDto] })
  forRequest(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    return this.invitations.listForRequest(user, id);
  }

  @Roles(Role.Volunteer)
  @Post('requests/:id/offers')
  @ApiOperation({ summary: 'Offer to take one slot of an open request (approved volunteer)' })
  @ApiCreatedResponse({ type: InvitationDto })
  offer(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateOfferDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.invitations.offer(user, id, dto);
  }

  @Roles(Role.Volunteer)
  @Get('volunteers/me/invitations')
  @ApiOperation({ summary: 'My invitations and offers, open ones first (volunteer)' })
  @ApiOkResponse({ type: [InvitationDto] })
  mine(@CurrentUser() user: AuthUser) {
    return this.invitations.listMine(user);
  }

  @Roles(Role.Volunteer, Role.SchoolStaff)
  @Post('invitations/:id/accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Accept: the volunteer an invitation, or the school an offer; answers the confirmed visit',
  })
  @ApiOkResponse({ type: AcceptedDto })
  accept(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    return this.invitations.accept(user, id);
  }

  @Roles(Role.Volunteer, Role.SchoolStaff)
  @Post('invitations/:id/decline')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Decline: the volunteer an invitation, or the school an offer' })
  @ApiOkResponse({ type: InvitationDto })
  decline(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DeclineDto,
    @CurrentUser() user: AuthUser,
  ) {
    return this.invitations.decline(user, id, dto.reason);
  }
}
