// Hand-built console logs for detect edge cases: "[ts] line" text and the report bodies the
// kernel prints after a header (x86_64 and arm64), so a test states only its header.

/** Lines as a console capture: "[    10.000000] text", one second apart. */
export const consoleLog = (...lines: string[]): string => lines.map((l, i) => `[    ${i + 10}.000000] ${l}`).join('\n') + '\n';

/** An x86_64 oops body: CPU line, RIP in `fn`, a call trace with one "?" guess. */
export const x86Trace = (fn: string): string[] => [
  'CPU: 1 PID: 97 Comm: insmod Tainted: G        W  OE      6.1.0-56-amd64 #1  Debian 6.1.192-2',
  'Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2 04/01/2014',
  `RIP: 0010:${fn}+0xf/0x30 [forgecrash]`,
  'Call Trace:', ' <TASK>', ' forge_write+0x20/0x40 [forgecrash]', ' ? vfs_write+0x1/0x2', ' ksys_write+0x60/0xe0', ' </TASK>',
];

/** An arm64 oops body: pc in `fn`, lr, and the call trace. */
export const arm64Trace = (fn: string): string[] => [
  'CPU: 0 PID: 1 Comm: sh Not tainted 6.1.0 #1', 'Hardware name: linux,dummy-virt (DT)',
  `pc : ${fn}+0x14/0x20 [forgecrash]`, 'lr : forge_write+0x30/0x40 [forgecrash]', 'Call trace:',
  ` ${fn}+0x14/0x20 [forgecrash]`, ' forge_write+0x30/0x40 [forgecrash]', ' vfs_write+0xc8/0x2f0',
];
