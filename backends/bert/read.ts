// ACPI BERT error region → MachineCheck / MemoryError records, each noted as coming
// from BERT (the firmware's record of the previous boot's fatal error).
import type { ReadContext } from '../../src/backend.js';
import { looksLikeEstatus, parseEstatus } from '../../src/cper/estatus.js';
import { ACPI_HEST_GENERIC_STATUS } from '../../src/cper/layout.js';
import { decodeSection } from '../../src/cper/sections.js';
import { readSmallOrReport } from '../../src/input/file.js';
import type { CrashRecord } from '../../src/model/index.js';
import { FormatError, messageOf } from '../../src/util/errors.js';
import { BERT_NOTE, MAX_BLOCKS, MAX_REGION_BYTES } from './layout.js';

const ID = 'bert';

export async function* readBert(path: string, ctx: ReadContext): AsyncIterable<CrashRecord> {
  const bytes = await readSmallOrReport(path, MAX_REGION_BYTES, ctx);
  if (!bytes) return;
  let pos = 0;
  for (let n = 0; n < MAX_BLOCKS && bytes.length - pos >= ACPI_HEST_GENERIC_STATUS.size; n++) {
    const status = new DataView(bytes.buffer, bytes.byteOffset + pos, 4).getUint32(0, true);
    if (status === 0) return;
    if (!looksLikeEstatus(bytes, pos, false)) {
      ctx.problem({ path, offset: pos, message: 'not a generic error status block; rest of the region skipped' });
      return;
    }
    let block;
    try {
      block = parseEstatus(bytes, pos, path);
    } catch (err) {
      ctx.problem({ path, offset: pos, message: err instanceof FormatError ? err.detail : messageOf(err) });
      return;
    }
    for (const p of block.problems) ctx.problem({ path, offset: p.offset, message: `status block ${n} at 0x${pos.toString(16)}: ${p.message}` });
    for (const [i, s] of block.sections.entries()) {
      // A section cut short is reported and still read: the firmware's good bytes are evidence.
      if (s.problem) ctx.problem({ path, offset: s.problemOffset ?? s.offset, message: `status block ${n} at 0x${pos.toString(16)}: ${s.problem}` });
      if (!s.bytes) continue;
      const severity = s.severity === 'unknown' ? block.severity : s.severity;
      try {
        const r = decodeSection(s.type, s.bytes, severity, { backend: ID, path, offset: s.offset, id: `block${n}`, part: i });
        if (!r) continue;
        if (s.time && !r.time) r.time = s.time;
        if (r.kind === 'mce') r.note = BERT_NOTE;
        else r.detail = r.detail ? `${r.detail}; ${BERT_NOTE}` : BERT_NOTE;
        yield r;
      } catch (err) {
        ctx.problem({ path, offset: s.offset, message: messageOf(err) });
      }
    }
    if (block.length <= 0) return;
    pos += block.length;
  }
}
