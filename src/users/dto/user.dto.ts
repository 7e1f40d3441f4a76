import { Role } from '../user.entity';

export class UserDto {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
}
