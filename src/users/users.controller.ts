import { Body, Controller, Get, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { CreateStaffUserDto } from './dto/create-staff-user.dto';
import { UserDto } from './dto/user.dto';
import { Role } from './user.entity';
import { UsersService } from './users.service';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'The signed-in account (any signed-in user)' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: AuthUser) {
    return this.users.me(user.id);
  }

  @Roles(Role.Admin)
  @Post('admin/users')
  @ApiOperation({ summary: 'Create a coordinator or admin account (admin)' })
  @ApiCreatedResponse({ type: UserDto })
  createStaff(@Body() dto: CreateStaffUserDto) {
    return this.users.createStaff(dto);
  }
}
