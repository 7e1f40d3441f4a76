import { Role } from './user.entity';

export interface UserView {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
}
