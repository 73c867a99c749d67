import { SOURCE_FIELD_LIMITS, type BillingRecord, type FieldLimits } from '@costwatch/contracts';

/**
 * A cell a spreadsheet would run as a formula (OWASP "CSV injection": =, +, -, @, also after
 * leading spaces or in full-width form). No provider names an account, a project or a service
 * like that, so such a name is an attack on whoever opens an export of the data.
 */
const FORMULA_START = /^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * Control characters (C0, DEL, C1) and the bidirectional overrides that make text display
 * differently from what it is: never part of a provider's name, and they garble or spoof
 * terminals, logs and reports.
 */
// eslint-disable-next-line no-control-regex
const HIDDEN_CHARACTER = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

const excerpt = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Why a name or id read from a source cannot become part of a record, or undefined when it can:
 * longer than `maxLength` (checked first, so nothing else looks at an absurd value), holding a
 * control or bidi character, or starting like a spreadsheet formula.
 */
export function untrustedTextReason(field: string, text: string, maxLength: number): string | undefined {
  if (text.length > maxLength) return `${field} is ${text.length} characters long, more than ${maxLength}`;
  const hidden = HIDDEN_CHARACTER.exec(text);
  if (hidden !== null) return `${field} ${excerpt(text)} contains the control character U+${(hidden[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (FORMULA_START.test(text)) return `${field} ${excerpt(text)} starts like a spreadsheet formula (=, +, -, @)`;
  return undefined;
}

/** The longest ids and names a record of `source` may carry (the record rules' limits). */
export function fieldLimitsOf(source: BillingRecord['source']): FieldLimits {
  const limits = SOURCE_FIELD_LIMITS[source];
  if (limits === undefined) throw new Error(`@costwatch/contracts defines no field limits for ${source} records`);
  return limits;
}
