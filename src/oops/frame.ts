// One frame line of a trace, in every form the kernel prints:
//   x86_64 printk_stack_address(): " %s%pBb" -> " func+0x1c/0x30 [mod]", " ? func+0x..",
//     with a build id since 5.14 ("[mod 3c8d...]"); before 4.10 "[<ffffffff81234567>] func+0x..";
//   arm64 dump_backtrace(): " %pSb" -> " func+0x../0x.. [mod]"; before 4.12 "[<ffff...>] func+0x..";
//   a symbol-less address ("0xffffffffc0123456", "[<ffffffffc0123456>] 0xffffffffc0123456").
import type { OopsFrame } from '../model/index.js';

const ADDR = String.raw`(?:\[<([0-9a-f]{8,16})>\] ?){0,2}`;
/** Identifier of a symbol as kallsyms prints it (compiler suffixes ".constprop.0", ".cold" kept). */
const NAME = String.raw`([A-Za-z_$][\w.$]{0,199})`;
/** Already symbolised (syzbot, decode_stacktrace.sh): " fs/read_write.c:427". */
const SOURCE = String.raw`\(?([\w./+-]{1,300}):(\d{1,7})\)?`;
/** syzbot's inlined frames: " __list_del_entry include/linux/list.h:132 [inline]". */
const INLINE = new RegExp(String.raw`^\s*${NAME} ${SOURCE} \[inline\]\s*$`);
const SYMBOLIC = new RegExp(String.raw`^\s*${ADDR}(\? )?${ADDR}${NAME}\+(0x[0-9a-f]{1,16})(?:/(0x[0-9a-f]{1,16}))?(?: \[([\w-]{1,64})(?: [0-9a-f]{1,64})?\])?(?: ${SOURCE})?\s*$`);
const BARE = new RegExp(String.raw`^\s*${ADDR}(\? )?(?:0x)?([0-9a-f]{8,16})\s*$`);
const ONLY_ADDR = new RegExp(String.raw`^\s*(\? )?\[<([0-9a-f]{8,16})>\]\s*$`);

const hex = (h: string): string => `0x${h.replace(/^0x/, '').replace(/^0+(?=.)/, '')}`;

/** "func+0xf/0x30 [mod]" as printed after "RIP: 0010:", "pc : " or on a trace line. A syzbot
 * "[inline]" line comes back with an empty `inlined` array as its mark (parse.ts folds it into
 * the frame that follows). */
export function parseFrameLine(line: string): OopsFrame | undefined {
  const m = SYMBOLIC.exec(line);
  if (m) {
    const f: OopsFrame = { function: m[4]!, offset: m[5]!, reliable: m[2] === undefined };
    if (m[6]) f.size = m[6];
    if (m[7]) f.module = m[7];
    if (m[8]) { f.file = m[8]; f.line = Number(m[9]); }
    const addr = m[1] ?? m[3];
    if (addr) f.address = hex(addr);
    return f;
  }
  const i = INLINE.exec(line);
  if (i) return { function: i[1]!, reliable: true, file: i[2]!, line: Number(i[3]), inlined: [] };
  const b = BARE.exec(line);
  if (b) return { function: hex(b[3]!), address: hex(b[3]!), reliable: b[2] === undefined };
  const a = ONLY_ADDR.exec(line);
  if (a) return { function: hex(a[2]!), address: hex(a[2]!), reliable: a[1] === undefined };
  return undefined;
}
