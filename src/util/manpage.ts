// crashlog(1), in roff, from the commander definitions (`npm run dist` writes dist/crashlog.1).
import type { Command } from 'commander';
import { commandDocs } from './cli-docs.js';

/** Text as roff: backslashes and hyphens escaped, no line starting with a control character. */
function roff(s: string): string {
  return s.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/gm, '\\&$1');
}

export function manPage(program: Command, meta: { version: string; date: string }): string {
  const docs = commandDocs(program);
  const [top, ...subs] = docs;
  const out = [
    `.TH CRASHLOG 1 "${meta.date}" "crashlog ${meta.version}" "User Commands"`,
    '.SH NAME',
    'crashlog \\- say why a Linux machine crashed, from what the kernel left behind',
    '.SH SYNOPSIS',
    '.B crashlog',
    '[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]',
    '.SH DESCRIPTION',
    roff(top!.description),
    'Inputs are recognised by their content: pstore folders, ramoops, pstore/blk and MTD images, EFI variables, ERST and BERT records, vmcores, console and netconsole captures, journal exports, mcelog and rasdaemon records.',
    '.SH OPTIONS',
  ];
  for (const o of top!.options) out.push('.TP', `.B ${roff(o.flags)}`, roff(o.description));
  out.push('.SH COMMANDS');
  for (const c of subs) {
    if (c.subcommands.length) continue; // its subcommands have their own entry
    out.push(`.SS "crashlog ${c.path.join(' ')} ${roff(c.usage)}"`, roff(c.description));
    for (const o of c.options) {
      out.push('.TP', `.B ${roff(o.flags)}`, roff(o.description + (o.choices ? ` (one of: ${o.choices.join(', ')})` : '')));
    }
  }
  out.push(
    '.SH EXIT STATUS',
    '.TP', '.B 0', 'The inputs were read (damaged records are reported beside the good ones).',
    '.TP', '.B 1', 'Nothing could be read, or the work failed (see each command).',
    '.TP', '.B 2', 'A usage error: an unknown command or option, a missing or bad argument.',
    '.TP', '.B 75', '\\fBcollect\\fR only: another collector is running.',
    '.SH ENVIRONMENT',
    '.TP', '.B NO_COLOR', 'When set and not empty, \\fB\\-\\-color=auto\\fR colours nothing.',
    '.TP', '.B FORCE_COLOR', 'When set (and not 0 or false), \\fB\\-\\-color=auto\\fR colours output that is not a terminal.',
    '.TP', '.B TMPDIR', 'Where a stream that needs random access (a dump on standard input, a gzip\\-compressed vmcore) is copied while it is read; the copy is removed at exit and on SIGINT or SIGTERM.',
    '.SH FILES',
    '.TP', '.I /etc/crashlog.conf', 'Configuration of \\fBcollect\\fR and \\fBlist\\fR.',
    '.TP', '.I /var/lib/crashlog', 'The archive \\fBcollect\\fR writes.',
    '.SH SEE ALSO',
    '.BR vmcore\\-dmesg (8),',
    '.BR makedumpfile (8),',
    '.BR mcelog (8),',
    '.BR ras\\-mc\\-ctl (8),',
    '.BR systemd\\-pstore.service (8)',
    '',
  );
  return out.join('\n');
}
