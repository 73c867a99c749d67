import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { AnomalyWindow, LabelledSeries } from './labelled-series';
import { parseNabTimestamp } from './nab-timestamp';

export const LABELS_PATH = join('labels', 'combined_windows.json');

export class CorpusFormatError extends Error {
  override name = 'CorpusFormatError';
}

/**
 * Reads a directory in NAB layout: `data/<group>/<file>.csv` (`timestamp,value` with a header)
 * and `labels/combined_windows.json` (`{"<group>/<file>.csv": [[start, end], …]}`). Series come
 * back sorted by name; a file missing from the labels has no windows. Rows with an unparsable
 * value keep their timestamp with a NaN value (a missing point for the detectors).
 */
export function loadNabCorpus(directory: string): LabelledSeries[] {
  const labels = readLabels(directory);
  const dataDir = join(directory, 'data');
  if (!isDirectory(dataDir)) throw new CorpusFormatError(`${dataDir} does not exist: expected data/<group>/<file>.csv`);
  const series: LabelledSeries[] = [];
  for (const group of readdirSync(dataDir).sort()) {
    const groupDir = join(dataDir, group);
    if (!isDirectory(groupDir)) continue;
    for (const file of readdirSync(groupDir).sort()) {
      if (!file.endsWith('.csv')) continue;
      const name = `${group}/${file}`;
      series.push({ name, ...readSeries(join(groupDir, file)), windows: labels.get(name) ?? [] });
    }
  }
  if (series.length === 0) throw new CorpusFormatError(`no series found under ${dataDir}/<group>/*.csv`);
  return series;
}

function readLabels(directory: string): Map<string, AnomalyWindow[]> {
  const path = join(directory, LABELS_PATH);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CorpusFormatError(`cannot read labels ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CorpusFormatError(`${path} must be an object of "<group>/<file>.csv": [[start, end], …]`);
  }
  const labels = new Map<string, AnomalyWindow[]>();
  for (const [name, windows] of Object.entries(raw)) {
    if (!Array.isArray(windows)) throw new CorpusFormatError(`${path}: windows of ${name} must be a list`);
    labels.set(
      name,
      windows.map((pair: unknown) => {
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
          throw new CorpusFormatError(`${path}: a window of ${name} is not [start, end]: ${JSON.stringify(pair)}`);
        }
        return { startMs: parseNabTimestamp(pair[0]), endMs: parseNabTimestamp(pair[1]) };
      }),
    );
  }
  return labels;
}

function readSeries(path: string): { timestamps: Float64Array; values: Float64Array } {
  const rows = parse(readFileSync(path, 'utf8'), { from_line: 2, skip_empty_lines: true, relax_column_count: true }) as string[][];
  const timestamps = new Float64Array(rows.length);
  const values = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    const [timestamp, value] = row;
    if (timestamp === undefined) throw new CorpusFormatError(`${path}: row ${i + 2} has no timestamp`);
    timestamps[i] = parseNabTimestamp(timestamp);
    values[i] = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
  });
  return { timestamps, values };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
