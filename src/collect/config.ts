// /etc/crashlog.conf: "key = value" lines, "#" comments. Keys:
//   archive = /var/lib/crashlog          where entries are written
//   unlink  = yes|no                     remove records from pstore/efivars once archived
//   sources = pstore efivars bert dmi    which sources to read; "kind:PATH" overrides a path
//                                        (dmi: the SMBIOS tables, edac: EDAC's sysfs tables,
//                                        both copied into each entry)
//   keep    = 0                          newest N entries kept (0: keep all)
import { readFileSync } from 'node:fs';
import { ApplicationError } from '../util/errors.js';
import { DEFAULT_ARCHIVE } from './archive.js';
import { DEFAULT_PATHS, DEFAULT_SOURCES, SOURCE_KINDS, type SourceKind } from './sources.js';
import { errnoOf } from './fsops.js';

export const DEFAULT_CONFIG = '/etc/crashlog.conf';
const MAX_CONFIG_BYTES = 64 * 1024;

export interface CollectConfig {
  archive: string;
  unlink: boolean;
  /** Source paths; a kind left out is not read. */
  sources: Partial<Record<SourceKind, string>>;
  keep: number;
}

export function defaultConfig(): CollectConfig {
  return { archive: DEFAULT_ARCHIVE, unlink: false, sources: { ...DEFAULT_SOURCES }, keep: 0 };
}

function parseBool(v: string, where: string): boolean {
  if (/^(yes|true|on|1)$/i.test(v)) return true;
  if (/^(no|false|off|0)$/i.test(v)) return false;
  throw new ApplicationError(`${where}: expected yes or no, got "${v}"`, 2);
}

export function parseConfig(text: string, file: string): CollectConfig {
  const c = defaultConfig();
  text.split('\n').forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const m = /^([a-z]+)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new ApplicationError(`${where}: expected "key = value"`, 2);
    const [, key, value] = m as unknown as [string, string, string];
    switch (key) {
      case 'archive':
        if (!value.startsWith('/')) throw new ApplicationError(`${where}: archive must be an absolute path`, 2);
        c.archive = value;
        break;
      case 'unlink':
        c.unlink = parseBool(value, where);
        break;
      case 'keep':
        if (!/^\d{1,6}$/.test(value)) throw new ApplicationError(`${where}: keep must be a count (0 keeps all)`, 2);
        c.keep = Number(value);
        break;
      case 'sources': {
        c.sources = {};
        for (const item of value.split(/[\s,]+/).filter(Boolean)) {
          const colon = item.indexOf(':');
          const kind = (colon < 0 ? item : item.slice(0, colon)) as SourceKind;
          if (!SOURCE_KINDS.includes(kind)) throw new ApplicationError(`${where}: unknown source "${kind}" (one of ${SOURCE_KINDS.join(', ')})`, 2);
          c.sources[kind] = colon < 0 ? DEFAULT_PATHS[kind] : item.slice(colon + 1);
        }
        break;
      }
      default:
        throw new ApplicationError(`${where}: unknown key "${key}" (archive, unlink, sources, keep)`, 2);
    }
  });
  return c;
}

/** The config file: `file` must exist when named; the default one may be absent. */
export function loadConfig(file?: string): CollectConfig {
  const path = file ?? DEFAULT_CONFIG;
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.length > MAX_CONFIG_BYTES) throw new ApplicationError(`${path}: larger than ${MAX_CONFIG_BYTES} bytes`, 2);
    text = buf.toString('utf8');
  } catch (err) {
    if (err instanceof ApplicationError) throw err;
    if (errnoOf(err) === 'ENOENT' && file === undefined) return defaultConfig();
    throw new ApplicationError(`cannot read the config ${path}: ${(err as Error).message}`, 2);
  }
  return parseConfig(text, path);
}
