import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module';
import { JobsModule } from '../jobs/jobs.module';
import { AllocationRunner } from './allocation-runner';
import { AllocationsController } from './allocations.controller';
import { AllocationsService } from './allocations.service';

@Module({
  imports: [JobsModule, InvitationsModule],
  controllers: [AllocationsController],
  providers: [AllocationsService, AllocationRunner],
  exports: [AllocationsService, AllocationRunner],
})
export class AllocationsModule {}
