import { Module } from '@nestjs/common';
import { MembershipsModule } from '../memberships/memberships.module';
import { VisitsController } from './visits.controller';
import { VisitsService } from './visits.service';

@Module({
  imports: [MembershipsModule],
  controllers: [VisitsController],
  providers: [VisitsService],
})
export class VisitsModule {}
