import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { VolunteerImportService } from './volunteer-import.service';
import { VolunteerReviewService } from './volunteer-review.service';
import { VolunteerRightsService } from './volunteer-rights.service';
import { VolunteersController } from './volunteers.controller';
import { VolunteersService } from './volunteers.service';

@Module({
  imports: [AuthModule],
  controllers: [VolunteersController],
  providers: [
    VolunteersService,
    VolunteerReviewService,
    VolunteerRightsService,
    VolunteerImportService,
  ],
  exports: [VolunteersService, VolunteerRightsService, VolunteerReviewService],
})
export class VolunteersModule {}
