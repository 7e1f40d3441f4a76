import { Module } from '@nestjs/common';
import { CoverageController } from './coverage.controller';
import { CoverageService } from './coverage.service';
import { OutreachService } from './outreach.service';

@Module({
  controllers: [CoverageController],
  providers: [CoverageService, OutreachService],
  exports: [CoverageService, OutreachService],
})
export class CoverageModule {}
