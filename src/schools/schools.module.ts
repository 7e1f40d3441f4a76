import { Module } from '@nestjs/common';
import { SchoolRegisterService } from './register/school-register.service';
import { SchoolsController } from './schools.controller';
import { SchoolsService } from './schools.service';

@Module({
  controllers: [SchoolsController],
  providers: [SchoolsService, SchoolRegisterService],
  exports: [SchoolsService, SchoolRegisterService],
})
export class SchoolsModule {}
