import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Role } from '../users/user.entity';

/** The signed-in account, as the JWT guard put it on the request. */
export interface AuthUser {
  id: string;
  email: string;
  role: Role;
}

export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => context.switchToHttp().getRequest().user,
);
