import { Module } from '@nestjs/common';
import { MembershipsModule } from '../memberships/memberships.module';
import { RemindersService } from './reminders.service';
import { VisitsController } from './visits.controller';
import { VisitsService } from './visits.service';

@Module({
  imports: [MembershipsModule],
  controllers: [VisitsController],
  providers: [VisitsService, RemindersService],
  exports: [RemindersService],
})
export class VisitsModule {}
