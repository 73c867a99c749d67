/** Which half of the protocol a file belongs to. */
export type ProtocolHalf = 'tune' | 'report';

export interface CorpusSplit<T> {
  readonly tune: T[];
  readonly report: T[];
}

/** FNV-1a (32-bit) of a string: a stable, machine-independent shuffle key. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** `<group>/<file>.csv` → `<group>`. */
export function groupOf(name: string): string {
  const slash = name.indexOf('/');
  return slash < 0 ? '' : name.slice(0, slash);
}

/**
 * Splits a NAB-layout corpus into a tuning half and a reporting half, per group: a group's
 * files are ordered by the FNV-1a hash of their names (not alphabetically, so that numbered
 * siblings do not all land on one side) and dealt alternately, the first to `tune`. An odd
 * group gives its extra file to `tune`. Deterministic, and every file is in exactly one half.
 */
export function splitByGroup<T extends { readonly name: string }>(corpus: readonly T[]): CorpusSplit<T> {
  const groups = new Map<string, T[]>();
  for (const item of corpus) groups.set(groupOf(item.name), [...(groups.get(groupOf(item.name)) ?? []), item]);
  const tune: T[] = [];
  const report: T[] = [];
  for (const group of [...groups.keys()].sort()) {
    const ordered = [...(groups.get(group) ?? [])].sort((a, b) => fnv1a(a.name) - fnv1a(b.name) || a.name.localeCompare(b.name));
    ordered.forEach((item, i) => (i % 2 === 0 ? tune : report).push(item));
  }
  return { tune, report };
}
