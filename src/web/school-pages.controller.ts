import { Controller } from '@nestjs/common';
import { Role } from '../users/user.entity';
import { PageFor, Pages } from './page.decorators';

@Pages()
@PageFor(Role.SchoolStaff)
@Controller('school')
export class SchoolPagesController {}
