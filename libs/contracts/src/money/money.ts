import Decimal from 'decimal.js';

/**
 * Exact money arithmetic. Amounts travel and are stored as canonical decimal strings;
 * sums are computed on bigint fixed-point values with 12 fractional digits (enough for
 * FOCUS rows that carry 1e-10 amounts), so a total equals its inputs digit for digit.
 */
export const MONEY_SCALE = 12;
const SCALE_FACTOR = 10n ** BigInt(MONEY_SCALE);

export class MoneyFormatError extends Error {
  constructor(readonly input: unknown, reason: string) {
    super(`invalid amount ${JSON.stringify(input)}: ${reason}`);
    this.name = 'MoneyFormatError';
  }
}

/**
 * Normalises a source's amount ("1.50", "1.5E-10", "-0", 12.5) into a canonical decimal
 * string: no exponent, no trailing fractional zeros, no "-0". More than 12 fractional
 * digits is an error rather than a silent rounding.
 */
export function canonicalAmount(input: string | number): string {
  let value: Decimal;
  try {
    value = new Decimal(typeof input === 'number' ? input.toString() : input.trim());
  } catch {
    throw new MoneyFormatError(input, 'not a number');
  }
  if (!value.isFinite()) throw new MoneyFormatError(input, 'not finite');
  if (value.decimalPlaces() > MONEY_SCALE) throw new MoneyFormatError(input, `more than ${MONEY_SCALE} fractional digits`);
  if (value.abs().gte('1e18')) throw new MoneyFormatError(input, 'too large');
  return value.isZero() ? '0' : value.toFixed();
}

/** A canonical decimal string to scaled bigint (units of 1e-12). */
export function toScaled(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const scaled = BigInt(whole) * SCALE_FACTOR + BigInt(fraction.padEnd(MONEY_SCALE, '0'));
  return negative ? -scaled : scaled;
}

/** Scaled bigint back to a canonical decimal string. */
export function fromScaled(scaled: bigint): string {
  if (scaled === 0n) return '0';
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const whole = abs / SCALE_FACTOR;
  const fraction = (abs % SCALE_FACTOR).toString().padStart(MONEY_SCALE, '0').replace(/0+$/, '');
  const text = fraction.length > 0 ? `${whole}.${fraction}` : `${whole}`;
  return negative && abs !== 0n ? `-${text}` : text;
}

/** Exact sum of decimal strings. */
export function sumAmounts(amounts: Iterable<string>): string {
  let total = 0n;
  for (const amount of amounts) total += toScaled(amount);
  return fromScaled(total);
}

/** A float for statistics and display only — never summed back into money. */
export function approximate(amount: string): number {
  return Number(amount);
}
