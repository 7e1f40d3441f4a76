import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../../common/query';
import { PRIMARY_PHASES, SchoolStatus } from '../school.entity';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class SchoolQueryDto extends PageQueryDto {
  /** Part of the school's name, or its URN. */
  @IsOptional()
  @IsString()
  @Length(2, 100)
  q?: string;

  /** A full postcode ("M13 9PL") or a postcode district ("M13"): results are sorted by distance. */
  @IsOptional()
  @IsString()
  @Length(2, 10)
  postcode?: string;

  /** Search radius around `postcode`, in kilometres (default 5). */
  @IsOptional()
  @Type(() => Number)
  @IsNumber({}, { message: 'radiusKm must be a number of kilometres' })
  @Min(0.1)
  @Max(80)
  radiusKm?: number;

  /** Region name, e.g. "North West", or its ONS code (E12…). */
  @IsOptional()
  @IsString()
  region?: string;

  /** Local authority: the DfE three-digit code (e.g. 352) or the ONS code (E08…). */
  @IsOptional()
  @Matches(/^(\d{3}|E0[6-9]\d{6}|E10\d{6})$/, {
    message: 'la must be a DfE LA code such as 352 or an ONS code such as E08000003',
  })
  la?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'highNeed must be true or false' })
  highNeed?: boolean;

  @IsOptional()
  @IsIn(PRIMARY_PHASES)
  phase?: string;

  /** Default: open. */
  @IsOptional()
  @IsEnum(SchoolStatus)
  status?: SchoolStatus = SchoolStatus.Open;
}
