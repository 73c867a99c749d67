import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LABELS_PATH } from './nab-corpus.loader';

/**
 * Where the NAB corpus is: `NAB_DATASET`, else the shared workspace next to the repository
 * (`../shared/datasets/nab`), else `/work/shared/datasets/nab`. Undefined when none holds
 * `labels/combined_windows.json`; the candidates are returned for the error message.
 */
export function locateNabCorpus(env: NodeJS.ProcessEnv = process.env): { found?: string; candidates: string[] } {
  const candidates = [env['NAB_DATASET'], resolve(__dirname, '../../../../../shared/datasets/nab'), resolve(__dirname, '../../../../../../shared/datasets/nab'), '/work/shared/datasets/nab'].filter(
    (dir): dir is string => dir !== undefined && dir !== '',
  );
  const found = candidates.find((dir) => existsSync(join(dir, LABELS_PATH)));
  return found === undefined ? { candidates } : { found, candidates };
}
