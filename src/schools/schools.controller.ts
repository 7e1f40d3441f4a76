import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UrnPipe } from '../common/urn.pipe';
import { Public } from '../common/public.decorator';
import { SchoolQueryDto } from './dto/school-query.dto';
import { SchoolDto, SchoolPageDto } from './dto/school.dto';
import { SchoolsService } from './schools.service';

@ApiTags('schools')
@Controller('schools')
export class SchoolsController {
  constructor(private readonly schools: SchoolsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Search the school register (anyone)' })
  @ApiOkResponse({ type: SchoolPageDto })
  search(@Query() query: SchoolQueryDto) {
    return this.schools.search(query);
  }

  @Public()
  @Get(':urn')
  @ApiOperation({ summary: 'One school by URN (anyone)' })
  @ApiOkResponse({ type: SchoolDto })
  findOne(@Param('urn', UrnPipe) urn: number) {
    return this.schools.findOne(urn);
  }
}
