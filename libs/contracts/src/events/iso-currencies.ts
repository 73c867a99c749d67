import { codes as isoCurrencyCodes } from 'currency-codes';

/**
 * Codes in ISO 4217 that are not money anyone is billed in: XTS is reserved for tests, XXX
 * means "no currency", the others are precious metals, bond-market units and special drawing
 * rights. A cost line in one of them is a broken or hostile record.
 */
export const NON_BILLING_CURRENCIES: ReadonlySet<string> = new Set(['XTS', 'XXX', 'XAU', 'XAG', 'XPD', 'XPT', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XSU', 'XUA']);

/** The active ISO 4217 codes (the maintained list of the `currency-codes` package) that can be billed in. */
export const BILLING_CURRENCIES: ReadonlySet<string> = new Set(isoCurrencyCodes().filter((code) => !NON_BILLING_CURRENCIES.has(code)));
