import { z } from 'zod';
import { configProblems } from './config-error';
import { parseConfig } from './parse-config';
import { recordPolicyOf, recordSettings } from './record-settings';

const schema = z.object(recordSettings);

describe('record settings', () => {
  it('defaults: 10 years of history, 24 h of lead, the ISO 4217 list alone', () => {
    expect(recordPolicyOf(parseConfig(schema, {}))).toEqual({ maxAgeDays: 3_660, maxLeadHours: 24, extraCurrencies: [] });
  });

  it('reads extra currencies as a comma-separated list', () => {
    expect(parseConfig(schema, { RECORD_EXTRA_CURRENCIES: 'XCG, ZWG' }).RECORD_EXTRA_CURRENCIES).toEqual(['XCG', 'ZWG']);
  });

  it.each([
    ['RECORD_MAX_AGE_DAYS', '0'],
    ['RECORD_MAX_AGE_DAYS', 'a year'],
    ['RECORD_MAX_LEAD_HOURS', '-1'],
    ['RECORD_EXTRA_CURRENCIES', 'usd'],
    ['RECORD_EXTRA_CURRENCIES', 'USD,EURO'],
  ])('a bad %s (%s) names the setting', (setting, value) => {
    expect(configProblems(() => parseConfig(schema, { [setting]: value })).join('\n')).toContain(setting);
  });
});
