// The shipped unit and config agree with the code's defaults, and the unit is ordered like
// systemd's own systemd-pstore.service (units/systemd-pstore.service.in).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ARCHIVE, DEFAULT_SOURCES } from '../../src/collect/index.js';
import { REPO } from '../corpus.js';

/** "[Section]" -> key -> values (a key may repeat). */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  let section = out.get('') ?? new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const head = /^\[(\w+)\]$/.exec(line);
    if (head) {
      section = new Map();
      out.set(head[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    expect(eq, `"${line}" is key=value`).toBeGreaterThan(0);
    const key = line.slice(0, eq);
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

describe('packaging/crashlog-collect.service', () => {
  const unit = parseUnit(readFileSync(join(REPO, 'packaging', 'crashlog-collect.service'), 'utf8'));
  const words = (section: string, key: string) => (unit.get(section)?.get(key) ?? []).flatMap((v) => v.split(/\s+/));

  it('runs at every early boot, like systemd-pstore but records or not (the clean-shutdown mark)', () => {
    expect(words('Unit', 'ConditionDirectoryNotEmpty')).toEqual([]);
    expect(words('Unit', 'ConditionPathExists')).toEqual([]);
    expect(words('Unit', 'ConditionVirtualization')).toEqual(['!container']);
    expect(words('Unit', 'DefaultDependencies')).toEqual(['no']);
    for (const m of ['efi_pstore', 'mtdpstore', 'chromeos_pstore', 'ramoops', 'pstore_zone', 'pstore_blk']) {
      expect(words('Unit', 'After')).toContain(`modprobe@${m}.service`);
      expect(words('Unit', 'Wants')).toContain(`modprobe@${m}.service`);
    }
    expect(words('Unit', 'After')).toContain('local-fs.target');
    // Before systemd-pstore, which moves the records away by default.
    expect(words('Unit', 'Before')).toEqual(expect.arrayContaining(['systemd-pstore.service', 'sysinit.target', 'shutdown.target']));
    expect(words('Unit', 'Conflicts')).toEqual(['shutdown.target']);
    expect(words('Install', 'WantedBy')).toEqual(['sysinit.target']);
  });

  it('a oneshot `crashlog collect` writing into its private state folder, the default archive', () => {
    expect(words('Service', 'Type')).toEqual(['oneshot']);
    expect(words('Service', 'ExecStart').slice(1)).toEqual(['collect']);
    expect(words('Service', 'ExecStart')[0]).toMatch(/\/crashlog$/);
    // Stopped at shutdown (Conflicts=shutdown.target), it marks the boot clean.
    expect(words('Service', 'RemainAfterExit')).toEqual(['yes']);
    expect(words('Service', 'ExecStop')).toEqual([words('Service', 'ExecStart')[0], 'collect', '--clean-shutdown']);
    // With --unlink it removes records from pstore and efivarfs, read-only to it otherwise.
    expect(words('Service', 'ReadWritePaths')).toEqual([`-${DEFAULT_SOURCES.pstore}`, `-${DEFAULT_SOURCES.efivars}`]);
    expect(`/var/lib/${words('Service', 'StateDirectory')[0]}`).toBe(DEFAULT_ARCHIVE);
    expect(words('Unit', 'RequiresMountsFor')).toEqual([DEFAULT_ARCHIVE]);
    expect(words('Service', 'StateDirectoryMode')).toEqual(['0700']);
    expect(words('Service', 'UMask')).toEqual(['0077']);
  });
});
