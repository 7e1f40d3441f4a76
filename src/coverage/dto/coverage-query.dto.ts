import { Transform, Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { PageQueryDto, trim } from '../../common/query';

/** A local authority's DfE code (e.g. 352) or ONS code (E06…–E10…). */
export const LA_CODE = /^(\d{3}|E0[6-9]\d{6}|E10\d{6})$/;

/** Every coverage answer can be JSON (default) or CSV (`format=csv` or `Accept: text/csv`). */
class FormatQuery extends PageQueryDto {
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

export class CoverageQueryDto extends FormatQuery {
  /** Start of the window in which a completed visit counts (default: 365 days ago). */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'since must be a date, e.g. 2026-01-01' })
  since?: Date;

  /** Region name, e.g. "North West", or ONS code (E12…). */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(2, 60)
  region?: string;

  /** Local authority: DfE code (e.g. 352) or ONS code (E08…). */
  @IsOptional()
  @Matches(LA_CODE, { message: 'la must be a DfE LA code such as 352 or an ONS code' })
  la?: string;
}

export class ColdSpotQueryDto extends CoverageQueryDto {
  /** At most this many (an alias of pageSize). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class TrendQueryDto extends CoverageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(60)
  months: number = 12;
}

export class MapQueryDto {
  @IsOptional()
  @IsIn(['region', 'la'])
  level: 'region' | 'la' = 'region';

  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'since must be a date, e.g. 2026-01-01' })
  since?: Date;
}
