/** FOCUS cost columns a record's amount can be taken from. EffectiveCost (amortised, after discounts) is the default. */
export const focusCostColumns = ['EffectiveCost', 'BilledCost', 'ListCost', 'ContractedCost'] as const;
export type FocusCostColumn = (typeof focusCostColumns)[number];

const REQUIRED_COLUMNS = ['BillingAccountId', 'BillingCurrency', 'ChargeCategory', 'ChargePeriodStart', 'ChargePeriodEnd', 'ServiceName'] as const;
const OPTIONAL_COLUMNS = ['SubAccountId', 'ChargeClass', 'Tags', 'BillingPeriodStart'] as const;

type RequiredColumn = (typeof REQUIRED_COLUMNS)[number];
type OptionalColumn = (typeof OPTIONAL_COLUMNS)[number];

/** Where each column this importer reads sits in a file's rows. */
export type FocusColumns = Record<RequiredColumn, number> &
  Partial<Record<OptionalColumn, number>> & {
    cost: number;
    costColumn: FocusCostColumn;
    width: number;
  };

/**
 * Reads a FOCUS header (column order is the file's business; names are matched
 * case-insensitively, extra and x_ custom columns are ignored). Returns the missing required
 * columns instead when the file cannot be imported.
 */
export function locateFocusColumns(header: readonly string[], costColumn: FocusCostColumn): FocusColumns | { missing: string[] } {
  const positions = new Map<string, number>();
  header.forEach((name, index) => {
    const key = name.trim().toLowerCase();
    if (!positions.has(key)) positions.set(key, index);
  });
  const find = (name: string): number | undefined => positions.get(name.toLowerCase());
  const missing = [...REQUIRED_COLUMNS, costColumn].filter((name) => find(name) === undefined);
  if (missing.length > 0) return { missing };

  const located: Partial<FocusColumns> = { costColumn, cost: find(costColumn), width: header.length };
  for (const name of [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]) {
    const index = find(name);
    if (index !== undefined) located[name] = index;
  }
  return located as FocusColumns;
}
