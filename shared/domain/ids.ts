import { z } from 'zod';

export const Uuid = z.uuid();

/** Operator and workstation names: short, printable, safe to show and to log. */
export const Name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[\p{L}\p{N} ._'-]+$/u, 'may contain only letters, digits, spaces and . _ \' -');
