import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error';
import { recordSettings } from './record-settings';
import { alertmanagerSettings, commonSettings, kafkaSettings, mongoSettings, s3Settings, syslogSettings } from './settings';

/** The sections of a settings file: `common` for every process, one per service (its CLIs read the same one). */
export const settingsSections = ['collector', 'baseline', 'detector', 'notifier'] as const;
export type SettingsSection = (typeof settingsSections)[number];

/**
 * Settings `common` may hold: those defined here, in libs/config, which every service names
 * the same way. A service's own settings go under its section, so every process judges the
 * `common` section alike and a typo there stops all of them, not only the one that reads it.
 */
export const sharedSettingNames: ReadonlySet<string> = new Set(
  [commonSettings, kafkaSettings, mongoSettings, s3Settings, alertmanagerSettings, syslogSettings, recordSettings].flatMap((group) => Object.keys(group)),
);

/** Setting values read from a settings file, as the environment would give them, and where each was written. */
export interface SettingsFile {
  path: string;
  values: Readonly<Record<string, string>>;
  /** `path:line` of each value, for messages. */
  origins: Readonly<Record<string, string>>;
}

/** Which file to read: `--config` wins over `COSTWATCH_CONFIG`; neither set means no file. */
export interface SettingsFileChoice {
  section: SettingsSection;
  /** Every setting of the processes that read this section (a service and its CLIs): anything else there is refused. */
  sectionKeys: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** The CLI's `--config <path>`. */
  configFlag?: string | undefined;
}

export function settingsFileFor(choice: SettingsFileChoice): SettingsFile | undefined {
  const flag = choice.configFlag !== undefined && choice.configFlag !== '' ? choice.configFlag : undefined;
  const fromEnv = (choice.env ?? process.env)['COSTWATCH_CONFIG'];
  const path = flag ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined);
  if (path === undefined) return undefined;
  return readSettingsFile(path, choice.section, choice.sectionKeys, flag !== undefined ? '--config' : 'COSTWATCH_CONFIG');
}

/**
 * Reads a YAML settings file:
 *
 * ```yaml
 * common:            # every service and CLI
 *   KAFKA_BROKERS: kafka:9092
 * detector:          # the detector only
 *   DETECTION_PRESET: billing
 * ```
 *
 * A scalar is taken as written (`8081`, `true`, `20%`; empty or `~` is unset); a list of plain values becomes a
 * comma-separated list; a mapping or a list of mappings becomes JSON, for the JSON settings.
 * Unknown sections, unknown keys, a duplicate key or a syntax error stop startup naming
 * the file, the line and the key.
 */
export function readSettingsFile(path: string, section: SettingsSection, sectionKeys: readonly string[], pathSetting = 'COSTWATCH_CONFIG'): SettingsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError([{ setting: pathSetting, problem: `cannot read the settings file ${path}${code ? ` (${code})` : ''}` }]);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (node: Node | null | undefined): string => (node?.range ? `${path}:${lines.linePos(node.range[0]).line}` : path);
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => ({ setting: pathSetting, problem: `${error.message.split('\n')[0]} (${path}:${lines.linePos(error.pos[0]).line})` })),
    );
  }
  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null)) return { path, values: {}, origins: {} };
  if (!isMap(root)) throw new ConfigError([{ setting: pathSetting, problem: `${at(root)}: must be a mapping of sections (common, ${settingsSections.join(', ')})` }]);

  const problems: ConfigProblem[] = [];
  const ownKeys = new Set(sectionKeys);
  const found: Record<'common' | SettingsSection, Array<Pair<unknown, unknown>>> = { common: [], collector: [], baseline: [], detector: [], notifier: [] };
  for (const pair of root.items) {
    const name = keyOf(pair);
    if (name !== 'common' && !(settingsSections as readonly string[]).includes(name)) {
      problems.push({ setting: name, problem: `unknown section; expected common, ${settingsSections.join(', ')}`, source: at(pair.key as Node) });
      continue;
    }
    const value = pair.value as Node | null;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if (!isMap(value)) {
      problems.push({ setting: name, problem: 'must be a mapping of settings', source: at(value) });
      continue;
    }
    found[name as 'common' | SettingsSection].push(...value.items);
  }

  const values: Record<string, string> = {};
  const origins: Record<string, string> = {};
  // `common` first, so the process's own section overrides it.
  for (const [name, pairs] of [['common', found.common] as const, [section, found[section]] as const]) {
    for (const pair of pairs) {
      const key = keyOf(pair);
      const source = at(pair.key as Node);
      if (name === 'common' ? !sharedSettingNames.has(key) : !ownKeys.has(key)) {
        const problem = name === 'common' ? 'unknown setting in common (it holds only settings every service shares; put a service’s own under its section)' : `unknown setting of the ${name}`;
        problems.push({ setting: `${name}.${key}`, problem, source });
        continue;
      }
      const text = settingText(pair.value as Node | null);
      if (text === undefined) continue;
      values[key] = text;
      origins[key] = source;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { path, values, origins };
}

function keyOf(pair: Pair<unknown, unknown>): string {
  const key = pair.key;
  return isScalar(key) ? String(key.value) : String(key);
}

/** The value as an environment variable would carry it; undefined for an empty value (unset). */
function settingText(node: Node | null): string | undefined {
  if (node === null) return undefined;
  if (isScalar(node)) {
    if (node.value === null || node.value === undefined) return undefined;
    // An empty string counts as unset, as an empty environment variable does.
    if (node.value === '') return undefined;
    return typeof node.value === 'string' ? node.value : (node.source ?? String(node.value));
  }
  if (isSeq(node)) {
    if (node.items.length === 0) return undefined;
    if (node.items.every((item) => isScalar(item))) return node.items.map((item) => settingText(item as Node) ?? '').join(',');
  }
  return JSON.stringify(node.toJSON());
}
