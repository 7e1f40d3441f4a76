import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { CoverageModule } from './coverage/coverage.module';
import { APP_CONFIG, type AppConfig } from './config/config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { InvitationsModule } from './invitations/invitations.module';
import { JobsModule } from './jobs/jobs.module';
import { MailModule } from './mail/mail.module';
import { MatchingModule } from './matching/matching.module';
import { MembershipsModule } from './memberships/memberships.module';
import { PostcodesModule } from './postcodes/postcodes.module';
import { RequestsModule } from './requests/requests.module';
import { SchoolsModule } from './schools/schools.module';
import { UsersModule } from './users/users.module';
import { VisitsModule } from './visits/visits.module';
import { VolunteersModule } from './volunteers/volunteers.module';
import { WebModule } from './web/web.module';
import { AllocationsModule } from './allocation/allocations.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      global: true,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
      imports: [
        DatabaseModule.forUrl(databaseUrl),
        PostcodesModule,
        AuditModule,
        MailModule,
        CalendarModule,
        SchoolsModule,
        UsersModule,
        AuthModule,
        HealthModule,
        VolunteersModule,
        MembershipsModule,
        RequestsModule,
        MatchingModule,
        InvitationsModule,
        VisitsModule,
        JobsModule,
        CoverageModule,
        AllocationsModule,
        WebModule,
      ],
    };
  }
}
