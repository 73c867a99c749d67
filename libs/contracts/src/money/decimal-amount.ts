import { z } from 'zod';

/**
 * Money travels as a decimal string, never as a binary float: FOCUS rows carry amounts
 * like 0.0000000001 and totals must equal the input digit for digit.
 * Up to 18 integer digits and 12 fractional digits, optional sign.
 */
export const DECIMAL_AMOUNT_PATTERN = /^-?\d{1,18}(\.\d{1,12})?$/;

export const decimalAmountSchema = z
  .string()
  .regex(DECIMAL_AMOUNT_PATTERN, 'must be a decimal string with at most 12 fractional digits, e.g. "12.345"');

export type DecimalAmount = z.infer<typeof decimalAmountSchema>;
