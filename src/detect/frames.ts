// Call-trace frames as the report prints them (for the event's facts; the guilty frame is
// chosen in stack.ts).
import type { Frame } from './types.js';

// "func+0x1c/0x30 [mod]", "? func+0x..", "[<ffffffff8123>] func+0x../0x..", "pc : func+0x..".
// Found from the "+0x" outwards (indexOf, a walk back over the name, one sticky regex): each
// character is looked at a bounded number of times.
const TAIL = /\+0x[0-9a-f]{1,16}\/0x[0-9a-f]{1,16}(?: \[([\w-]{1,64})\])?/y;
const NAME_CHAR = /[\w.$]/;
const MAX_NAME = 200;

export function parseFrame(text: string): Frame | undefined {
  for (let at = text.indexOf('+0x'); at > 0; at = text.indexOf('+0x', at + 3)) {
    let start = at;
    while (start > 0 && at - start < MAX_NAME && NAME_CHAR.test(text[start - 1]!)) start--;
    if (start === at || !/[A-Za-z_]/.test(text[start]!)) continue;
    TAIL.lastIndex = at;
    const m = TAIL.exec(text);
    if (!m) continue;
    const f: Frame = { function: text.slice(start, at), offset: m[0].replace(/ \[.*$/, '') };
    if (m[1]) f.module = m[1];
    if (text.slice(Math.max(0, start - 2), start) === '? ') f.unreliable = true;
    return f;
  }
  return undefined;
}

/** Drop compiler clone suffixes: ".constprop.0", ".isra.0", ".cold", ".part.1". */
export function cleanFunction(name: string): string {
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
