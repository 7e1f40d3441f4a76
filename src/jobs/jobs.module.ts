import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module';
import { RequestsModule } from '../requests/requests.module';
import { VisitsModule } from '../visits/visits.module';
import { JobsService } from './jobs.service';

@Module({
  imports: [InvitationsModule, RequestsModule, VisitsModule],
  providers: [JobsService],
  exports: [JobsService],
})
export class JobsModule {}
