import { Global, Module } from '@nestjs/common';
import { TermCalendar } from './term-calendar';

/** The school calendar (terms, half-terms, bank holidays) from `data/term-dates.json`. */
@Global()
@Module({
  providers: [{ provide: TermCalendar, useFactory: () => TermCalendar.load() }],
  exports: [TermCalendar],
})
export class CalendarModule {}
