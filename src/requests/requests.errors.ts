import { HttpStatus } from '@nestjs/common';
import { domainErrors } from '../common/domain-error';

export enum RequestErrorCode {
  NotFound = 'request_not_found',
  SlotInPast = 'slot_in_past',
  SlotNotSchoolDay = 'slot_not_school_day',
  SlotOutsideCalendar = 'slot_outside_calendar',
  SlotOutsideSchoolHours = 'slot_outside_school_hours',
  SlotRepeated = 'slot_repeated',
  SchoolClosed = 'school_closed',
  NotOpen = 'request_not_open',
}

export class RequestError extends domainErrors<RequestErrorCode>({
  [RequestErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [RequestErrorCode.SlotInPast]: HttpStatus.BAD_REQUEST,
  [RequestErrorCode.SlotNotSchoolDay]: HttpStatus.BAD_REQUEST,
  [RequestErrorCode.SlotOutsideCalendar]: HttpStatus.BAD_REQUEST,
  [RequestErrorCode.SlotOutsideSchoolHours]: HttpStatus.BAD_REQUEST,
  [RequestErrorCode.SlotRepeated]: HttpStatus.BAD_REQUEST,
  [RequestErrorCode.SchoolClosed]: HttpStatus.UNPROCESSABLE_ENTITY,
  [RequestErrorCode.NotOpen]: HttpStatus.UNPROCESSABLE_ENTITY,
}) {}
