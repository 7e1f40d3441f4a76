import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuthError, AuthErrorCode } from '../auth/auth.errors';
import { hashPassword } from '../auth/passwords';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { AdvisoryLock, withAdvisoryLock } from '../database/advisory-lock';
import { CreateStaffUserDto } from './dto/create-staff-user.dto';
import { Role, User } from './user.entity';
import { UserDto } from './dto/user.dto';
import { pgErrorCode } from '../database/pg-error';

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates the administrator named by BOOTSTRAP_ADMIN_* when the service has none. */
  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    await withAdvisoryLock(this.dataSource, AdvisoryLock.BootstrapAdmin, async () => {
      if (await this.dataSource.getRepository(User).existsBy({ role: Role.Admin })) return;
      if (await this.findByEmail(admin.email)) {
        this.logger.warn(
          `No administrator exists, but ${admin.email} is already another kind of account`,
        );
        return;
      }
      await this.create(admin.email, admin.password, Role.Admin);
      this.logger.log(`Created the administrator ${admin.email}`);
    });
  }

  async create(
    email: string,
    password: string,
    role: Role,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<User> {
    const repository = manager.getRepository(User);
    const user = repository.create({ email, passwordHash: await hashPassword(password), role });
    try {
      return await repository.save(user);
    } catch (error) {
      if (pgErrorCode(error) === '23505') {
        throw new AuthError(
          AuthErrorCode.EmailTaken,
          'An account with this e-mail address already exists',
          'email',
        );
      }
      throw error;
    }
  }

  async createStaff(dto: CreateStaffUserDto): Promise<UserDto> {
    return this.toView(await this.create(dto.email, dto.password, dto.role));
  }

  findById(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ id });
  }

  /** E-mail addresses are citext: the lookup ignores case. */
  findByEmail(email: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ email });
  }

  async me(id: string): Promise<UserDto> {
    const user = await this.findById(id);
    return this.toView(user!);
  }

  toView(user: User): UserDto {
    return { id: user.id, email: user.email, role: user.role, createdAt: user.createdAt };
  }
}
