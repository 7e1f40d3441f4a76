import { LoginFailure } from '../auth/login-failure.entity';
import { RefreshToken } from '../auth/refresh-token.entity';
import { School } from '../schools/school.entity';
import { User } from '../users/user.entity';

export const ENTITIES = [School, User, RefreshToken, LoginFailure];
