import { applyDecorators, SetMetadata, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/public.decorator';
import { Role } from '../users/user.entity';
import { PageExceptionFilter } from './page-exception.filter';
import { PageGuard } from './page.guard';

export const PAGE_ROLES = 'pageRoles';

/**
 * A controller of web pages. Pages authenticate with the session cookie in PageGuard rather than
 * with a Bearer token, check the form token of every POST, and answer errors as pages.
 */
export const Pages = () =>
  applyDecorators(
    Public(),
    ApiExcludeController(),
    UseGuards(PageGuard),
    UseFilters(PageExceptionFilter),
  );

/** Pages for signed-in accounts of these roles (admins may see coordinators' pages). */
export const PageFor = (...roles: Role[]) => SetMetadata(PAGE_ROLES, roles);

/** Pages anyone may see, signed in or not. */
export const OpenPage = () => SetMetadata(PAGE_ROLES, []);
