// Every Call Trace a real kernel printed on a corpus serial console, against the trace the
// oops parser reads from the detector's event blocks; and the incidents' oops/trigger/lead.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { detect } from '../../src/detect/index.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { eventOops } from '../../src/oops/incident.js';
import { CORPUS } from '../corpus.js';

const items = existsSync(CORPUS) ? readdirSync(CORPUS).filter((d) => existsSync(join(CORPUS, d, 'serial-console.log'))).sort() : [];
const TS = /^\[ {0,12}\d{1,10}\.\d{1,9}\] ?/;

interface Printed { names: string[]; rip?: string; rax?: string; taint?: string }

/** The kernel's traces, read from the raw console text on their own terms: after "Call Trace:",
 * the indented lines up to x86's "</TASK>" or, on arm64, the first line that is not indented. */
function printedTraces(text: string): Printed[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const out: Printed[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/Call [Tt]race:$/.test(lines[i]!)) continue;
    const p: Printed = { names: [] };
    for (let j = i - 1; j >= 0 && j > i - 30; j--) {
      const l = lines[j]!.replace(TS, '');
      if (p.rax === undefined && l.startsWith('RAX: ')) p.rax = l.slice(5, 21);
      if (p.rip === undefined && /^(?:RIP: 0010:|pc : )/.test(l)) p.rip = l.replace(/^(?:RIP: 0010:|pc : )/, '').split('+')[0];
      if (p.taint === undefined && / Tainted: /.test(l)) p.taint = l.split(' Tainted: ')[1]!.split(/ {2,}\d/)[0];
      if (/^CPU: /.test(l)) break;
    }
    const arm = /Call trace:$/.test(lines[i]!);
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j]!.replace(TS, '');
      if (l.trim() === '</TASK>' || (arm && !l.startsWith(' '))) break;
      const m = /^ (\? )?([\w.]+)\+0x/.exec(l);
      if (m) p.names.push(`${m[1] ? '? ' : ''}${m[2]}`);
    }
    out.push(p);
  }
  return out;
}

describe.skipIf(items.length === 0)('oops parser on the corpus serial consoles', () => {
  it.each(items)('%s: every trace equals the Call Trace the kernel printed', (item) => {
    const path = join(CORPUS, item, 'serial-console.log');
    const raw = readFileSync(path);
    const printed = printedTraces(raw.toString('utf8'));
    const messages = bytesToMessages(raw, { backend: 'text', path });
    const parsed = detect(messages).map((e) => eventOops(messages, e)).filter((o) => o.trace.length > 0);
    let k = 0;
    for (const o of parsed) {
      const names = o.trace.filter((f) => !f.interrupted).map((f) => `${f.reliable ? '' : '? '}${f.function}`);
      // An event that folded two reports (an RCU stall and the lockup it was) shows the first.
      while (k < printed.length && JSON.stringify(printed[k]!.names) !== JSON.stringify(names) && k + 1 < printed.length) k++;
      const p = printed[k++]!;
      expect(names, o.title).toEqual(p.names);
      if (p.rip) expect(o.rip?.function).toBe(p.rip);
      if (p.rax) expect(o.registers?.RAX).toBe(`0x${p.rax.replace(/^0+(?=.)/, '')}`);
      if (p.taint) {
        expect(o.taint?.flags).toBe(p.taint.trim().replace(/\s+/g, ' '));
        expect(o.taint?.meaning.length).toBe([...p.taint].filter((c) => /[A-FH-Z]/.test(c)).length);
      }
    }
    expect(parsed.length).toBeGreaterThanOrEqual(printed.length > 0 ? 1 : 0);
  });
});

const truthOf = (item: string): { cause: string; events?: string[]; panic?: string | null } => JSON.parse(readFileSync(join(CORPUS, item, 'truth.json'), 'utf8'));

describe.skipIf(items.length === 0)('incidents carry the oops, trigger and lead', () => {
  const software = items.filter((i) => truthOf(i).cause === 'software');
  it.each(software)('%s', async (item) => {
    const truth = truthOf(item);
    const a = await analyze([join(CORPUS, item, 'serial-console.log')]);
    const inc = a.incidents[a.incidents.length - 1]!;
    expect(inc.cause).toBe('software');
    expect(inc.oops?.trace.length).toBeGreaterThan(0);
    expect(inc.oops?.rip ?? inc.oops?.trace[0]).toBeDefined();
    if (truth.panic === 'sysrq triggered crash') {
      expect(inc.trigger).toBe('sysrq');
      const lead = truth.events!.find((t) => !t.startsWith('WARNING') && !t.startsWith('kernel panic'));
      if (lead) expect(inc.lead?.title).toBe(lead);
      else expect(inc.lead?.title).toBe(truth.events!.find((t) => t.startsWith('WARNING')));
      expect(inc.evidence.map((e) => e.text).join('\n')).toMatch(/Deliberate crash \(SysRq\)/);
    }
    if (truth.panic === 'Fatal exception') {
      expect(inc.trigger).toBe('panic_on_oops');
      expect(inc.lead?.title).toBe(inc.title);
    }
  });
});

/** Function names of the oops trace the verdict carries. */
const names = (o: { trace: { function: string; reliable: boolean }[] } | undefined): string[] => (o?.trace ?? []).map((f) => `${f.reliable ? '' : '? '}${f.function}`);

describe.skipIf(items.length === 0)('the oops block from every kind of store equals the console\'s', () => {
  const stores: [string, string][] = [
    ['ramoops-oops-panic', 'pstore'],
    ['ramoops-ecc-bug', 'pstore'],
    ['efi-oops-panic', 'pstore'],
    ['mtdoops-oops-panic', 'mtdoops-partition.bin'],
    ['kdump-oops-panic', 'vmcore.kdump-zlib-d31'],
    ['qemu-dump-hung', 'vmcore.kdump-zlib'],
  ];
  it.each(stores)('%s: %s', async (item, file) => {
    const path = join(CORPUS, item, file);
    if (!existsSync(path)) return;
    const [store, console] = await Promise.all([analyze([path]), analyze([join(CORPUS, item, 'serial-console.log')])]);
    const want = console.incidents.at(-1)!.oops;
    const got = store.incidents.at(-1)!.oops;
    expect(want?.trace.length).toBeGreaterThan(0);
    expect(got?.title).toBe(want?.title);
    expect(names(got)).toEqual(names(want));
    expect(got?.rip).toEqual(want?.rip);
    expect(got?.registers).toEqual(want?.registers);
    expect(got?.taint).toEqual(want?.taint);
  });
});
