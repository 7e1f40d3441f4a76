import { HttpStatus } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Response } from 'express';
import { DomainError } from '../common/domain-error';
import { FieldError, toFieldErrors } from '../common/field-error';
import { FieldValidationException } from '../common/http-exception.filter';
import { CSRF_FIELD } from './csrf';

/** A form's posted fields: urlencoded values, a list when a name repeats. */
export type FormBody = Record<string, string | string[] | undefined>;

/** Always a list: checkboxes post nothing, one value or several. */
export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

/** A text field, trimmed; undefined when left empty. */
export function text(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

/** A whole number field; the raw text when it is not one, so that validation names the rule. */
export function whole(value: string | string[] | undefined): number | string | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  return /^-?\d+$/.test(raw) ? Number(raw) : raw;
}

/** Validates a form against the API's own DTO, so that pages and API share every rule. */
export async function formDto<T extends object>(
  type: new () => T,
  values: Record<string, unknown>,
): Promise<T> {
  const dto = plainToInstance(type, values);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new FieldValidationException(toFieldErrors(errors));
  return dto;
}

/** The errors a form shows, or null when the exception is not the user's to fix. */
export function formErrors(error: unknown): { status: number; errors: FieldError[] } | null {
  if (error instanceof FieldValidationException) {
    return { status: HttpStatus.BAD_REQUEST, errors: firstPerField(error.errors) };
  }
  if (error instanceof DomainError && error.status >= 400 && error.status < 500) {
    const field = error.field ?? '';
    return { status: error.status, errors: [{ field, rule: error.code, message: error.message }] };
  }
  return null;
}

/** The id of a field's input: nested names such as `slots.0.startsAt` become `slots-0-startsAt`. */
export function fieldId(field: string): string {
  return field ? field.replace(/\./g, '-') : 'maincontent';
}

function firstPerField(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.field) ? false : (seen.add(e.field), true)));
}

/**
 * Runs a form's action and redirects after it (post/redirect/get); when the input or the state
 * forbids it, shows the form again with the design system's error summary and field messages.
 */
export async function submitForm(
  res: Response,
  form: {
    view: string;
    /** What the page shows besides the form; a function is only called when it is shown again. */
    locals: Record<string, unknown> | (() => Promise<Record<string, unknown>>);
    values?: FormBody;
  },
  action: () => Promise<string>,
): Promise<void> {
  try {
    const next = await action();
    res.redirect(HttpStatus.SEE_OTHER, next);
  } catch (error) {
    const shown = formErrors(error);
    if (!shown) throw error;
    const { [CSRF_FIELD]: _token, ...values } = form.values ?? {};
    const locals = typeof form.locals === 'function' ? await form.locals() : form.locals;
    res.status(shown.status).render(form.view, {
      ...locals,
      values,
      errors: shown.errors,
      errorList: shown.errors.map((e) => ({ text: e.message, href: `#${fieldId(e.field)}` })),
      errorFor: Object.fromEntries(
        shown.errors.map((e) => [fieldId(e.field), { text: e.message }]),
      ),
    });
  }
}
