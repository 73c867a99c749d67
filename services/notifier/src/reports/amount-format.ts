import { MONEY_SCALE, toScaled } from '@costwatch/contracts';

/**
 * A decimal amount for reading: rounded half away from zero to `decimals` places, thousands
 * grouped ("1234567.891" → "1,234,567.89"). Display only; the exact value stays in CSV and
 * in the HTML's title attributes.
 */
export function formatAmount(amount: string, decimals = 2): string {
  const scaled = toScaled(amount);
  const negative = scaled < 0n;
  const unit = 10n ** BigInt(MONEY_SCALE - decimals);
  const rounded = ((negative ? -scaled : scaled) + unit / 2n) / unit;
  const factor = 10n ** BigInt(decimals);
  const whole = (rounded / factor).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = decimals > 0 ? `.${(rounded % factor).toString().padStart(decimals, '0')}` : '';
  return `${negative && rounded !== 0n ? '-' : ''}${whole}${fraction}`;
}

/** A signed change for reading: "+1,234.50", "-3.00", "0.00". */
export function formatDelta(delta: string, decimals = 2): string {
  const text = formatAmount(delta, decimals);
  return text.startsWith('-') || /^[0.,]+$/.test(text) ? text : `+${text}`;
}

/** "+12.3 %", "-100.0 %", "0.0 %", "new" (nothing before), "–" (nothing either time). */
export function formatPercent(percent: string | null, current: string): string {
  if (percent !== null) return `${percent.startsWith('-') || percent === '0.0' ? '' : '+'}${percent} %`;
  return toScaled(current) === 0n ? '–' : 'new';
}
