import { SetMetadata } from '@nestjs/common';
import { Role } from '../users/user.entity';

export const ROLES = 'roles';

/** Restricts a route to these roles (an admin may always act as a coordinator). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
