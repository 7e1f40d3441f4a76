import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIsoDate } from '../../common/iso-date';
import { LA_CODE } from '../../coverage/dto/coverage-query.dto';
import { PageQueryDto, trim } from '../../common/query';

/** The longest a run's solver may be given. */
export const MAX_TIME_LIMIT_SECONDS = 600;

/** Weights of the volunteer–request quality; default: the candidates' own ranking weights. */
export class QualityWeightsDto {
  @IsNumber() @Min(0) @Max(1) distance: number;
  @IsNumber() @Min(0) @Max(1) fit: number;
  @IsNumber() @Min(0) @Max(1) reliability: number;
  @IsNumber() @Min(0) @Max(1) newVolunteer: number;
}

/** Weights of a school's need; default: the service's configured need weights. */
export class NeedWeightsDto {
  @IsNumber() @Min(0) @Max(1) deprivation: number;
  @IsNumber() @Min(0) @Max(1) outreachGap: number;
}

export class AllocationOptionsDto {
  /** Only requests whose school agreed to invitations sent on its behalf (default true). */
  @IsOptional()
  @IsBoolean()
  respectAutoInvite?: boolean;

  @IsOptional()
  @ValidateNested()
  @Type(() => QualityWeightsDto)
  weights?: QualityWeightsDto;

  @IsOptional()
  @ValidateNested()
  @Type(() => NeedWeightsDto)
  needWeights?: NeedWeightsDto;

  /** How long the solver may take (default 60 s). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TIME_LIMIT_SECONDS)
  timeLimitSeconds?: number;

  /** Accept an answer proven within this share of the optimum (default 0: the optimum). */
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(0.05)
  relativeGap?: number;
}

export class CreateAllocationDto {
  /** A region, by name (e.g. "North West") or ONS code (E12…); or give `laCodes`. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(2, 60)
  region?: string;

  /** Local authorities, by DfE code (e.g. 352) or ONS code (E08…). */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @Matches(LA_CODE, {
    each: true,
    message: 'laCodes must be DfE LA codes such as 352 or ONS codes',
  })
  laCodes?: string[];

  /** First day of the term (YYYY-MM-DD, London). */
  @IsIsoDate()
  termStartsOn: string;

  /** Last day of the term (YYYY-MM-DD, London), on or after `termStartsOn`. */
  @IsIsoDate()
  termEndsOn: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => AllocationOptionsDto)
  options?: AllocationOptionsDto;
}

export class AllocationQueryDto extends PageQueryDto {}
