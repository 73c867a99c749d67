import { fromScaled, toScaled } from '@costwatch/contracts';

/** A cost against the same cost one period earlier, exact. */
export interface AmountChange {
  current: string;
  previous: string;
  /** current − previous. */
  delta: string;
  /** delta / |previous| in percent, rounded half away from zero to one decimal ("12.3", "-100.0"); null when previous is 0. */
  percent: string | null;
}

const abs = (value: bigint): bigint => (value < 0n ? -value : value);

/** Change between two scaled amounts (units of 1e-12, see toScaled). */
export function scaledChange(current: bigint, previous: bigint): AmountChange {
  const delta = current - previous;
  let percent: string | null = null;
  if (previous !== 0n) {
    // Tenths of a percent: |delta| × 1000 / |previous|, rounded half up on the magnitude.
    const tenths = (2n * abs(delta) * 1000n + abs(previous)) / (2n * abs(previous));
    const text = `${tenths / 10n}.${tenths % 10n}`;
    percent = delta < 0n && tenths !== 0n ? `-${text}` : text;
  }
  return { current: fromScaled(current), previous: fromScaled(previous), delta: fromScaled(delta), percent };
}

/** Change between two decimal amounts. */
export const amountChange = (current: string, previous: string): AmountChange => scaledChange(toScaled(current), toScaled(previous));
