import { Body, Controller, HttpCode, HttpStatus, Ip, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '../common/public.decorator';
import { AuthService } from './auth.service';
import { AccountSetupService } from './account-setup.service';
import { CompleteSignupDto, LoginDto, RefreshDto, RegisterDto } from './dto/credentials.dto';
import { SessionDto, TokenPairDto } from './dto/session.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly accountSetup: AccountSetupService,
  ) {}

  @Public()
  @Post('register')
  @ApiOperation({ summary: 'Create a volunteer or school staff account (anyone)' })
  @ApiCreatedResponse({ type: SessionDto })
  register(@Body() dto: RegisterDto) {
    return this.auth.register(dto);
  }

  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in; throttled per account and per address (anyone)' })
  @ApiOkResponse({ type: SessionDto })
  login(@Body() dto: LoginDto, @Ip() ip: string) {
    return this.auth.login(dto, ip || null);
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange a refresh token for a new pair (holder of the token)' })
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() dto: RefreshDto) {
    return this.auth.refresh(dto.refreshToken);
  }

  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out the session of a refresh token (holder of the token)' })
  @ApiNoContentResponse()
  logout(@Body() dto: RefreshDto) {
    return this.auth.logout(dto.refreshToken);
  }

  @Public()
  @Post('complete-signup')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Choose a password with a one-time sign-up link (holder of the link)' })
  @ApiOkResponse({ type: SessionDto })
  completeSignup(@Body() dto: CompleteSignupDto) {
    return this.accountSetup.complete(dto.token, dto.password);
  }
}
