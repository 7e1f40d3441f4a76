import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CoverageModule } from '../coverage/coverage.module';
import { InvitationsModule } from '../invitations/invitations.module';
import { MatchingModule } from '../matching/matching.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { RequestsModule } from '../requests/requests.module';
import { SchoolsModule } from '../schools/schools.module';
import { UsersModule } from '../users/users.module';
import { VisitsModule } from '../visits/visits.module';
import { VolunteersModule } from '../volunteers/volunteers.module';
import { CoordinatorPagesController } from './coordinator-pages.controller';
import { PageGuard } from './page.guard';
import { SchoolPagesController } from './school-pages.controller';
import { StartController } from './start.controller';
import { VolunteerPagesController } from './volunteer-pages.controller';
import { WebSessionService } from './web-session.service';

/** The web pages: server-rendered, usable without JavaScript, over the same services as the API. */
@Module({
  imports: [
    AuthModule,
    UsersModule,
    SchoolsModule,
    VolunteersModule,
    MembershipsModule,
    RequestsModule,
    MatchingModule,
    InvitationsModule,
    VisitsModule,
    CoverageModule,
  ],
  controllers: [
    StartController,
    VolunteerPagesController,
    SchoolPagesController,
    CoordinatorPagesController,
  ],
  providers: [WebSessionService, PageGuard],
})
export class WebModule {}
