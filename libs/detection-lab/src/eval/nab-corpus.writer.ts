import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LabelledSeries } from './labelled-series';
import { LABELS_PATH } from './nab-corpus.loader';
import { formatNabTimestamp } from './nab-timestamp';

/**
 * Writes labelled series in NAB layout — `data/<group>/<file>.csv` (`timestamp,value`) and
 * `labels/combined_windows.json` — the format `loadNabCorpus` (and NAB itself) reads.
 */
export function writeNabCorpus(directory: string, corpus: readonly LabelledSeries[]): void {
  const labels: Record<string, Array<[string, string]>> = {};
  for (const series of corpus) {
    const path = join(directory, 'data', series.name);
    mkdirSync(dirname(path), { recursive: true });
    const lines = ['timestamp,value'];
    for (let i = 0; i < series.values.length; i++) {
      lines.push(`${formatNabTimestamp(series.timestamps[i] as number)},${series.values[i] as number}`);
    }
    writeFileSync(path, `${lines.join('\n')}\n`);
    labels[series.name] = series.windows.map((w) => [labelTimestamp(w.startMs), labelTimestamp(w.endMs)]);
  }
  mkdirSync(join(directory, 'labels'), { recursive: true });
  writeFileSync(join(directory, LABELS_PATH), `${JSON.stringify(labels, null, 4)}\n`);
}

/** Label timestamps carry microseconds in NAB's files. */
function labelTimestamp(ms: number): string {
  return `${formatNabTimestamp(ms)}.000000`;
}
