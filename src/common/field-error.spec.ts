import { ValidationError } from '@nestjs/common';
import { toFieldErrors } from './field-error';

describe('toFieldErrors', () => {
  it('returns no entries for no errors', () => {
    expect(toFieldErrors([])).toEqual([]);
  });

  it('gives one entry per broken rule of a top-level field', () => {
    const errors: ValidationError[] = [
      {
        property: 'email',
        value: 'nope',
        constraints: {
          isEmail: 'email must be an email',
          maxLength: 'email must be shorter than or equal to 254 characters',
        },
      },
      { property: 'name', constraints: { isNotEmpty: 'name should not be empty' } },
    ];
    expect(toFieldErrors(errors)).toEqual([
      { field: 'email', rule: 'isEmail', message: 'email must be an email' },
      {
        field: 'email',
        rule: 'maxLength',
        message: 'email must be shorter than or equal to 254 characters',
      },
      { field: 'name', rule: 'isNotEmpty', message: 'name should not be empty' },
    ]);
  });

  it('gives nested children dotted paths, through array indices', () => {
    const errors: ValidationError[] = [
      {
        property: 'slots',
        children: [
          {
            property: '0',
            children: [
              {
                property: 'startsAt',
                constraints: { isDateString: 'startsAt must be a valid ISO 8601 date string' },
              },
            ],
          },
          {
            property: '2',
            children: [
              {
                property: 'endsAt',
                constraints: { isDateString: 'endsAt must be a valid ISO 8601 date string' },
              },
            ],
          },
        ],
      },
    ];
    expect(toFieldErrors(errors)).toEqual([
      {
        field: 'slots.0.startsAt',
        rule: 'isDateString',
        message: 'startsAt must be a valid ISO 8601 date string',
      },
      {
        field: 'slots.2.endsAt',
        rule: 'isDateString',
        message: 'endsAt must be a valid ISO 8601 date string',
      },
    ]);
  });

  it('lists a field’s own rules before those of its children', () => {
    const errors: ValidationError[] = [
      {
        property: 'address',
        constraints: { isObject: 'address must be an object' },
        children: [{ property: 'postcode', constraints: { matches: 'postcode is malformed' } }],
      },
    ];
    expect(toFieldErrors(errors).map((e) => e.field)).toEqual(['address', 'address.postcode']);
  });

  it('prefixes every path with the given parent', () => {
    const errors: ValidationError[] = [
      { property: 'town', constraints: { isString: 'town must be a string' } },
    ];
    expect(toFieldErrors(errors, 'school')).toEqual([
      { field: 'school.town', rule: 'isString', message: 'town must be a string' },
    ]);
  });

  it('reports an unknown field as rule unknownField with its full path', () => {
    const errors: ValidationError[] = [
      {
        property: 'isAdmin',
        constraints: { whitelistValidation: 'property isAdmin should not exist' },
      },
      {
        property: 'slots',
        children: [
          {
            property: '0',
            children: [
              {
                property: 'colour',
                constraints: { whitelistValidation: 'property colour should not exist' },
              },
            ],
          },
        ],
      },
    ];
    expect(toFieldErrors(errors)).toEqual([
      { field: 'isAdmin', rule: 'unknownField', message: 'isAdmin is not a known field' },
      {
        field: 'slots.0.colour',
        rule: 'unknownField',
        message: 'slots.0.colour is not a known field',
      },
    ]);
  });

  it('gives no entry for an error that has neither constraints nor children', () => {
    expect(toFieldErrors([{ property: 'ghost' }])).toEqual([]);
  });
});
