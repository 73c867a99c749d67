import { MatcherSyntaxError, findSilence, isSilenceActive, matcherMatches, parseMatcher, type Silence } from './silence';

const labels = { alertname: 'BillingCostAnomaly', domain: 'dom-1', project: 'prod', service: 'compute', severity: 'critical', service_name: 'Virtual Machine' };

describe('parseMatcher', () => {
  it.each([
    ['project=prod', { name: 'project', operator: '=', value: 'prod' }],
    ['project="prod"', { name: 'project', operator: '=', value: 'prod' }],
    ['  project  !=  "prod" ', { name: 'project', operator: '!=', value: 'prod' }],
    ['service=~"comp.*|gpu"', { name: 'service', operator: '=~', value: 'comp.*|gpu' }],
    ['service!~db-.*', { name: 'service', operator: '!~', value: 'db-.*' }],
    ['service_name="Virtual Machine"', { name: 'service_name', operator: '=', value: 'Virtual Machine' }],
    ['comment="say \\"hi\\" \\\\ there"', { name: 'comment', operator: '=', value: 'say "hi" \\ there' }],
    ['project=', { name: 'project', operator: '=', value: '' }],
    ['project=a=b', { name: 'project', operator: '=', value: 'a=b' }],
  ])('parses %s', (input, expected) => {
    expect(parseMatcher(input)).toEqual(expected);
  });

  it.each([
    ['no operator', 'project'],
    ['a label name starting with a digit', '1project=x'],
    ['an unterminated quote', 'project="prod'],
    ['a stray quote', 'project=pr"od'],
    ['a bad regex', 'service=~"("'],
    ['a dangling backslash', 'project="prod\\"'],
  ])('rejects %s', (_label, input) => {
    expect(() => parseMatcher(input)).toThrow(MatcherSyntaxError);
  });
});

describe('matcherMatches', () => {
  it.each([
    ['project=prod', true],
    ['project=staging', false],
    ['project!=staging', true],
    ['project!=prod', false],
    ['service=~"comp.*"', true],
    ['service=~"comp"', false], // anchored, like Alertmanager
    ['service!~"comp"', true],
    ['service!~"compute|storage"', false],
    ['owner=""', true], // a missing label matches the empty string
    ['owner!=""', false],
    ['owner=~".*"', true],
    ['service_name=~"Virtual.*"', true],
  ])('%s → %s', (matcher, expected) => {
    expect(matcherMatches(parseMatcher(matcher), labels)).toBe(expected);
  });
});

describe('findSilence', () => {
  const t = Date.parse('2026-11-01T12:00:00Z');
  const mute: Silence = { matchers: [parseMatcher('project=prod'), parseMatcher('service=~"comp.*"')], comment: 'mute list' };

  it('needs every matcher of a silence to match', () => {
    expect(findSilence([mute], labels, t)).toBe(mute);
    expect(findSilence([mute], { ...labels, service: 'storage' }, t)).toBeUndefined();
  });

  it('respects the time range: start inclusive, end exclusive', () => {
    const window: Silence = { matchers: [parseMatcher('project=prod')], startsAt: t, endsAt: t + 60_000 };
    expect(isSilenceActive(window, t - 1)).toBe(false);
    expect(isSilenceActive(window, t)).toBe(true);
    expect(isSilenceActive(window, t + 59_999)).toBe(true);
    expect(isSilenceActive(window, t + 60_000)).toBe(false);
    expect(findSilence([window], labels, t + 60_000)).toBeUndefined();
  });

  it('an open-ended silence is a permanent mute; one without matchers mutes nothing', () => {
    expect(isSilenceActive({ matchers: [] }, 0)).toBe(true);
    expect(findSilence([{ matchers: [] }], labels, t)).toBeUndefined();
    expect(findSilence([{ matchers: [parseMatcher('domain=dom-1')], startsAt: t }], labels, t + 1e12)).toBeDefined();
  });

  it('returns the first matching silence', () => {
    const other: Silence = { matchers: [parseMatcher('severity=critical')], comment: 'second' };
    expect(findSilence([{ matchers: [parseMatcher('project=none')] }, other, mute], labels, t)).toBe(other);
  });
});
