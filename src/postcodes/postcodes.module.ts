import { Global, Module } from '@nestjs/common';
import { OutcodeDirectory } from './outcode-directory';

@Global()
@Module({ providers: [OutcodeDirectory], exports: [OutcodeDirectory] })
export class PostcodesModule {}
