import { Module } from '@nestjs/common';
import { MembershipsModule } from '../memberships/memberships.module';
import { RequestsModule } from '../requests/requests.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { MatchingController } from './matching.controller';
import { MatchingService } from './matching.service';
import { OpportunitiesService } from './opportunities.service';

@Module({
  imports: [RequestsModule, MembershipsModule, VolunteersModule],
  controllers: [MatchingController],
  providers: [MatchingService, OpportunitiesService],
  exports: [MatchingService, OpportunitiesService],
})
export class MatchingModule {}
