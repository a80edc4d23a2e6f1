// Hand-built console logs for detect edge cases: "[ts] line" text and the report bodies the
// kernel prints after a header (x86_64 and arm64), so a test states only its header; and a
// real kernel's console to stretch.
import { readFileSync } from 'node:fs';
import { formatTs } from '../../src/kmsg/line.js';

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

/** A console line's time stamp, as printk prints it ("[    5.000041]"). */
export const stamp = (ns: number): string => `[${formatTs(BigInt(ns))}]`;

interface TimedLine { ns: number; text: string }

/** A real kernel's console (fixtures/pstore/ramoops-oops-panic): its boot lines, its crash
 * (from "[ cut here ]" on) and the WARNING report that opens it. */
export function sampleConsole(): { boot: TimedLine[]; crash: TimedLine[]; warning: TimedLine[] } {
  const lines: TimedLine[] = [];
  for (const l of readFileSync(new URL('../../fixtures/pstore/ramoops-oops-panic/serial-console.log', import.meta.url), 'utf8').split('\n')) {
    const m = /\[\s*(\d+)\.(\d{6})\] (.*)$/.exec(l);
    if (m) lines.push({ ns: Number(m[1]) * 1e9 + Number(m[2]) * 1e3, text: m[3]! });
  }
  const cut = lines.findIndex((l) => l.text.includes('[ cut here ]'));
  const end = lines.findIndex((l) => l.text.includes('---[ end trace'));
  return { boot: lines.slice(0, cut), crash: lines.slice(cut), warning: lines.slice(cut, end + 1) };
}
