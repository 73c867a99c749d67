import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { locateNabCorpus } from '../nab-location';
import { fnv1a, groupOf, splitByGroup } from './nab-split';

const named = (...names: string[]) => names.map((name) => ({ name }));

describe('fnv1a', () => {
  it('matches the published FNV-1a 32-bit values', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
});

describe('splitByGroup', () => {
  it('deals each group alternately in hash order, the odd file to the tuning half', () => {
    // Hash order of these four names, computed by hand from fnv1a: see the assertion on `order`.
    const files = named('g/a.csv', 'g/b.csv', 'g/c.csv', 'h/x.csv');
    const order = ['g/a.csv', 'g/b.csv', 'g/c.csv'].sort((x, y) => fnv1a(x) - fnv1a(y));
    const split = splitByGroup(files);
    expect(split.tune.map((f) => f.name)).toEqual([order[0], order[2], 'h/x.csv']);
    expect(split.report.map((f) => f.name)).toEqual([order[1]]);
  });

  it('is deterministic whatever the input order', () => {
    const files = named('g/1.csv', 'g/2.csv', 'g/3.csv', 'g/4.csv', 'k/1.csv', 'k/2.csv');
    expect(splitByGroup([...files].reverse())).toEqual(splitByGroup(files));
  });

  it('puts no NAB file in both halves, every file in one, and half of each group on each side', () => {
    const { found } = locateNabCorpus();
    if (found === undefined) throw new Error('NAB corpus not found (set NAB_DATASET)');
    const dataDir = join(found, 'data');
    const files = readdirSync(dataDir).flatMap((group) => readdirSync(join(dataDir, group)).filter((f) => f.endsWith('.csv')).map((f) => ({ name: `${group}/${f}` })));
    expect(files).toHaveLength(58);
    const { tune, report } = splitByGroup(files);
    const tuneNames = new Set(tune.map((f) => f.name));
    expect(report.filter((f) => tuneNames.has(f.name))).toEqual([]);
    expect(tune.length + report.length).toBe(files.length);
    for (const group of new Set(files.map((f) => groupOf(f.name)))) {
      const inTune = tune.filter((f) => groupOf(f.name) === group).length;
      const inReport = report.filter((f) => groupOf(f.name) === group).length;
      expect(inTune - inReport).toBeGreaterThanOrEqual(0);
      expect(inTune - inReport).toBeLessThanOrEqual(1);
    }
    expect(report.filter((f) => groupOf(f.name) === 'realAWSCloudwatch').length).toBeGreaterThanOrEqual(8);
    expect(report.filter((f) => groupOf(f.name) === 'realKnownCause').length).toBeGreaterThanOrEqual(3);
  });
});
