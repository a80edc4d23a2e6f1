// Call-trace frames as the report prints them (for the event's facts; the guilty frame is
// chosen in stack.ts).
import type { Frame } from './types.js';

// "func+0x1c/0x30 [mod]", "? func+0x..", "[<ffffffff8123>] func+0x../0x..", "pc : func+0x..".
// Found from the "+0x" outwards (indexOf, a walk back over the name, sticky regexes): each
// character is looked at a bounded number of times. Characters are tested by code and the
// regexes only tested, not matched (this runs on every frame line of every report): a name is
// [A-Za-z0-9_.$] and starts with [A-Za-z_].
const OFFSET = /\+0x[0-9a-f]{1,16}\/0x[0-9a-f]{1,16}/y;
const MODULE = / \[[\w-]{1,64}\]/y;
const MAX_NAME = 200;

const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 36;

/** The first frame in `text` from `from` on (`text.slice(from)` is the line as printed). */
export function parseFrame(text: string, from = 0): Frame | undefined {
  for (let at = text.indexOf('+0x', from); at > from; at = text.indexOf('+0x', at + 3)) {
    let start = at;
    while (start > from && at - start < MAX_NAME && isNameChar(text.charCodeAt(start - 1))) start--;
    if (start === at || !isNameStart(text.charCodeAt(start))) continue;
    OFFSET.lastIndex = at;
    if (!OFFSET.test(text)) continue;
    const end = OFFSET.lastIndex;
    const f: Frame = { function: text.slice(start, at), offset: text.slice(at, end) };
    MODULE.lastIndex = end;
    if (MODULE.test(text)) f.module = text.slice(end + 2, MODULE.lastIndex - 1);
    if (start - from >= 2 && text.charCodeAt(start - 2) === 63 /* ? */ && text.charCodeAt(start - 1) === 32) f.unreliable = true;
    return f;
  }
  return undefined;
}

/** Drop compiler clone suffixes: ".constprop.0", ".isra.0", ".cold", ".part.1". */
export function cleanFunction(name: string): string {
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
