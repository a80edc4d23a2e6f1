// `crashlog collect`: archive what the previous boot left, then print its verdict.
import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import type { SourceKind, SourceSpec } from '../collect/index.js';
import { ApplicationError } from '../util/errors.js';
import { escapeControl, stringifyJsonLine } from '../util/escape.js';

interface CollectFlags {
  config?: string;
  archive?: string;
  pstore?: string;
  efivars?: string;
  bert?: string;
  dmi?: string;
  edac?: string;
  systemdPstore?: string;
  unlink?: boolean;
  cleanShutdown?: boolean;
  keep?: string;
  json?: boolean;
  journal?: boolean;
}

/** Sources from the config, each overridden by its flag ("none" leaves it out). */
function sourceSpecs(kinds: readonly SourceKind[], fromConfig: Partial<Record<SourceKind, string>>, flags: CollectFlags): SourceSpec[] {
  const specs: SourceSpec[] = [];
  for (const kind of kinds) {
    // --systemd-pstore is commander's systemdPstore.
    const flag = flags[kind.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as 'pstore'];
    if (flag === 'none') continue;
    const path = flag ?? fromConfig[kind];
    if (path !== undefined) specs.push({ kind, path, explicit: flag !== undefined });
  }
  return specs;
}

export function register(program: Command, io: RunIO): void {
  program
    .command('collect')
    .description('archive the crash records the previous boot left (pstore, EFI variables, BERT; with the SMBIOS and EDAC tables), then print the verdict')
    .option('--config <file>', 'config file (default /etc/crashlog.conf, if present)')
    .option('--archive <dir>', 'archive folder (default /var/lib/crashlog)')
    .option('--pstore <dir>', 'pstore folder to read, or "none" (default /sys/fs/pstore)')
    .option('--efivars <dir>', 'efivarfs folder whose dump-type0-* variables are read, or "none" (default /sys/firmware/efi/efivars)')
    .option('--bert <file>', 'ACPI BERT table to read, or "none" (default /sys/firmware/acpi/tables/data/BERT)')
    .option('--dmi <dir>', 'SMBIOS tables copied into each new entry (names the DIMM of a memory error), or "none" (default /sys/firmware/dmi/tables)')
    .option('--edac <dir>', 'EDAC sysfs tables copied into each new entry (the DIMM labels set in sysfs), or "none" (default /sys/devices/system/edac/mc; absent without an EDAC driver)')
    .option('--systemd-pstore <dir>', "systemd-pstore.service's archive of the records it moved out of pstore, read (never removed from), or \"none\" (default /var/lib/systemd/pstore)")
    .option('--unlink', 'remove each record from pstore/efivars once it is safely archived')
    .option('--no-unlink', 'keep the records in pstore/efivars (overrides the config)')
    .option('--keep <n>', 'keep only the newest N archive entries (0: all)')
    .option('--json', 'print one JSON line per new incident (with a signature) instead of the text verdict')
    .option('--journal', 'also write a structured entry per new incident to the systemd journal')
    .option('--clean-shutdown', "only mark this boot as shut down cleanly, and exit (the unit's ExecStop); a boot never so marked is reported at the next collect as an unclean reset")
    .action(async (flags: CollectFlags) => {
      const { collect, loadConfig, sendToJournal, SOURCE_KINDS, currentBootId, kdumpsSince, markCleanShutdown, startBoot, realFs } = await import('../collect/index.js');
      const config = loadConfig(flags.config);
      const archive = flags.archive ?? config.archive;
      const boot = currentBootId();
      if (flags.cleanShutdown) {
        if (!boot) throw new ApplicationError('--clean-shutdown: this boot has no id (/proc/sys/kernel/random/boot_id); nothing marked', 1);
        markCleanShutdown(realFs, archive, boot, new Date());
        return;
      }
      if (flags.keep !== undefined && !/^\d{1,6}$/.test(flags.keep)) throw new ApplicationError(`--keep ${flags.keep}: expected a count`, 2);
      // How the boot before ended (src/collect/bootmark.ts), judged before this one is marked running.
      let started: ReturnType<typeof startBoot> = {};
      try {
        if (boot) started = startBoot(realFs, archive, boot, new Date());
      } catch (err) {
        if (err instanceof Error) err.message = escapeControl(err.message);
        throw err;
      }
      if (started.problem) io.stderr(`crashlog: ${escapeControl(started.problem)}\n`);
      // Record names and contents reach the terminal only escaped: a name must not forge a line.
      const result = await collect({
        archive,
        sources: sourceSpecs(SOURCE_KINDS, config.sources, flags),
        unlink: flags.unlink ?? config.unlink,
        keep: flags.keep !== undefined ? Number(flags.keep) : config.keep,
      }).catch((err: unknown) => {
        if (err instanceof Error) err.message = escapeControl(err.message);
        throw err;
      });
      for (const n of result.notes) io.stderr(`crashlog: ${escapeControl(n.message)}\n`);
      for (const e of result.entries) {
        if (flags.json) {
          for (const i of e.incidents) {
            io.stdout(stringifyJsonLine({ entry: e.id, time: i.time, cause: i.cause, kind: i.kind, title: i.title, signature: i.signature, boot: i.boot }) + '\n');
          }
        } else {
          io.stdout(escapeControl(`== archived ${e.records} record(s) as ${e.dir}\n${e.reportText}`, true));
          if (!e.reportText.endsWith('\n')) io.stdout('\n');
        }
        if (flags.journal) {
          for (const i of e.incidents) {
            const err = sendToJournal({ id: e.id, cause: i.cause, kind: i.kind, title: i.title, signature: i.signature, time: i.time });
            if (err) {
              io.stderr(`crashlog: ${escapeControl(err)}\n`);
              result.failed = true;
            }
          }
        }
      }
      const prev = started.previous;
      // kdump may have caught it: then it left a dump, which collect does not read.
      const dumps = prev?.end === 'unclean' ? kdumpsSince(new Date(prev.mark.since)) : [];
      if (prev?.end === 'unclean' && dumps.length) {
        io.stderr(`crashlog: boot ${prev.mark.boot} was not shut down cleanly, and kdump saved ${dumps.map((d) => escapeControl(d)).join(', ')} since it began: crashlog report ${escapeControl(dumps[dumps.length - 1]!)}\n`);
      } else if (prev?.end === 'unclean' && result.entries.length === 0) {
        // A reset that left nothing: said once (the mark now names this boot), with where to look.
        const [{ uncleanResetIncident }, { incidentText }] = await Promise.all([import('../correlate/unknown.js'), import('../report/text.js')]);
        const i = uncleanResetIncident({ boot: prev.mark.boot, since: prev.mark.since, path: prev.path });
        if (flags.json) io.stdout(stringifyJsonLine({ entry: null, time: i.time, cause: i.cause, kind: i.kind, title: i.title, signature: i.signature, boot: i.boot }) + '\n');
        else io.stdout(escapeControl(incidentText(i), true));
        if (flags.journal) {
          const err = sendToJournal({ id: `boot ${i.boot}`, cause: i.cause, kind: i.kind, title: i.title, signature: i.signature! });
          if (err) {
            io.stderr(`crashlog: ${escapeControl(err)}\n`);
            result.failed = true;
          }
        }
      } else if (prev?.end === 'unclean') io.stderr(`crashlog: boot ${prev.mark.boot} was not shut down cleanly (${prev.path} still says running); its records are above\n`);
      else if (!flags.json && result.entries.length === 0) {
        io.stdout(`nothing new to collect (${result.alreadyArchived} record(s) already archived)\n`);
      }
      if (result.unlinked.length) io.stderr(`crashlog: removed ${result.unlinked.length} archived record(s) from their sources\n`);
      if (result.pruned.length) io.stderr(`crashlog: pruned ${result.pruned.length} old archive entr${result.pruned.length === 1 ? 'y' : 'ies'}\n`);
      if (result.failed) process.exitCode = 1;
    });
}
