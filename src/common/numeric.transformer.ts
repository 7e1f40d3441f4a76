import { ValueTransformer } from 'typeorm';

/** PostgreSQL returns `numeric` as a string; the domain wants a number (or null). */
export const numericTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
