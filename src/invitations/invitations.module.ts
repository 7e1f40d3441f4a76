import { Module } from '@nestjs/common';
import { MatchingModule } from '../matching/matching.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { RequestsModule } from '../requests/requests.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';

@Module({
  imports: [RequestsModule, MembershipsModule, MatchingModule, VolunteersModule],
  controllers: [InvitationsController],
  providers: [InvitationsService],
  exports: [InvitationsService],
})
export class InvitationsModule {}
