import { Module } from '@nestjs/common';
import { MembershipsModule } from '../memberships/memberships.module';
import { RemindersService } from './reminders.service';
import { VisitListsController, VisitsController } from './visits.controller';
import { VisitsService } from './visits.service';

@Module({
  imports: [MembershipsModule],
  controllers: [VisitsController, VisitListsController],
  providers: [VisitsService, RemindersService],
  exports: [RemindersService, VisitsService],
})
export class VisitsModule {}
