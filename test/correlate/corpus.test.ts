// The verdicts on real crashes, checked against each item's truth.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { correlate } from '../../src/correlate/index.js';
import { detect } from '../../src/detect/index.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { parseStructMce } from '../../src/mce/struct.js';
import type { MachineCheck } from '../../src/model/index.js';
import type { Boot } from '../../src/timeline/types.js';
import { fixture } from '../corpus.js';
import { expectTruth, readTruth, type Truth } from './truth.js';

const truthOf = (...p: string[]): Truth => readTruth(fixture(...p));

const boot = (b: Partial<Boot>): Boot => ({ key: 'test-boot', messages: [], mces: [], memoryErrors: [], dumps: [], blobs: [], ...b });

describe('erst-mce-memory: a fatal memory machine check after 2 corrected ones', () => {
  const truth = truthOf('pstore', 'erst-mce-memory');

  it('from its serial console log alone', () => {
    const log = fixture('pstore', 'erst-mce-memory', 'serial-console.log');
    const messages = bytesToMessages(readFileSync(log), { backend: 'text', path: log, offset: 0 });
    const inc = expectTruth(correlate({ boots: [boot({ messages })], problems: [] }, detect), truth);
    expect(inc.title).toBe('machine check: Memory controller read error, channel 15 (unspecified) on CPU 0, bank 8');
    expect(inc.mce![0]!.severity).toBe('fatal');
    expect(inc.evidence.map((e) => e.text)).toContain('Kernel panic - not syncing: Fatal machine check');
    expect(inc.evidence.map((e) => e.text)).toContain('Faulting address 0x12345000, page frame 0x12345');
  });

  it('from the mce-erst file alone (no log at all)', () => {
    const path = fixture('pstore', 'erst-mce-memory', 'pstore', 'mce-erst-7711071329893482497');
    const mc = parseStructMce(readFileSync(path), { backend: 'pstore', path });
    const inc = expectTruth(correlate({ boots: [boot({ mces: [mc] })], problems: [] }, detect), { ...truth, panic: undefined, correctedBefore: undefined });
    expect(inc.panic).toBeUndefined();
    expect(inc.correctedBefore).toBeUndefined();
    expect(inc.confidence).toBe(0.9);
  });

  it('from its pstore folder: the struct mce and the log lines are one machine check', async () => {
    const a = await analyze([fixture('pstore', 'erst-mce-memory', 'pstore')]);
    const inc = expectTruth(a.incidents, truth);
    expect(inc.mce).toHaveLength(1);
    expect(inc.mce![0]!.source.path).toMatch(/mce-erst-7711071329893482497$/);
    expect(inc.mce![0]!.alsoIn?.map((s) => s.path)).toEqual([expect.stringMatching(/dmesg-erst-/)]);
  });
});

describe('rasdaemon-erst-mce: rasdaemon saw the corrected errors, ERST kept the fatal one', () => {
  const truth = truthOf('rasdaemon', 'rasdaemon-erst-mce');
  const db = fixture('rasdaemon', 'rasdaemon-erst-mce', 'ras-mc_event.db');

  it('database and pstore together', async () => {
    const a = await analyze([db, fixture('pstore', 'rasdaemon-erst-mce', 'pstore')]);
    const inc = expectTruth(a.incidents, truth);
    // Each corrected error is one record though the database and the log both hold it.
    const bank7 = inc.evidence.find((e) => e.text.startsWith('1 corrected error on bank 7'));
    expect(bank7?.text).toBe('1 corrected error on bank 7 at 0x2201000 before the fatal one (first 2026-11-22T19:32:27.000Z, last 2026-11-22T19:32:27.000Z)');
  });

  it('the database alone holds only corrected errors: no incident', async () => {
    const a = await analyze([db]);
    expect(a.incidents).toEqual([]);
  });
});

describe('software crashes kept in pstore', () => {
  it.each(['ramoops-oops-panic', 'ramoops-ecc-bug', 'efi-oops-panic'])('%s', async (item) => {
    const a = await analyze([fixture('pstore', item, 'pstore')]);
    const inc = expectTruth(a.incidents, truthOf('pstore', item));
    expect(inc.mce).toBeUndefined();
  });
});

describe('an MCE of the log and the same MCE from a binary record', () => {
  it('merge into one record with the other in alsoIn; the same source never merges', () => {
    const log = fixture('pstore', 'erst-mce-memory', 'serial-console.log');
    const messages = bytesToMessages(readFileSync(log), { backend: 'text', path: log, offset: 0 });
    const path = fixture('pstore', 'erst-mce-memory', 'pstore', 'mce-erst-7711071329893482497');
    const mc: MachineCheck = parseStructMce(readFileSync(path), { backend: 'pstore', path });
    const twin: MachineCheck = { ...mc, source: { backend: 'pstore', path, offset: 128 } };
    const [inc] = correlate({ boots: [boot({ messages, mces: [mc, twin] })], problems: [] }, detect);
    expect(inc!.mce).toHaveLength(2);
    expect(inc!.mce!.map((m) => m.alsoIn?.map((s) => s.backend) ?? [])).toEqual([[], ['text']]);
  });
});
