import { Controller } from '@nestjs/common';
import { Role } from '../users/user.entity';
import { PageFor, Pages } from './page.decorators';

@Pages()
@PageFor(Role.Coordinator)
@Controller('coordinator')
export class CoordinatorPagesController {}
