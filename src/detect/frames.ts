// Call-trace frames as the report prints them (for the event's facts; the guilty frame is
// chosen in stack.ts).
import type { Frame } from './types.js';

// "func+0x1c/0x30 [mod]", "? func+0x..", "[<ffffffff8123>] func+0x../0x..", "pc : func+0x..".
// Found from the "+0x" outwards (indexOf, a walk back over the name, one sticky regex): each
// character is looked at a bounded number of times. Characters are tested by code (this runs
// on every frame line of every report): a name is [A-Za-z0-9_.$] and starts with [A-Za-z_].
const TAIL = /\+0x[0-9a-f]{1,16}\/0x[0-9a-f]{1,16}(?: \[([\w-]{1,64})\])?/y;
const MAX_NAME = 200;

const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 36;

export function parseFrame(text: string): Frame | undefined {
  for (let at = text.indexOf('+0x'); at > 0; at = text.indexOf('+0x', at + 3)) {
    let start = at;
    while (start > 0 && at - start < MAX_NAME && isNameChar(text.charCodeAt(start - 1))) start--;
    if (start === at || !isNameStart(text.charCodeAt(start))) continue;
    TAIL.lastIndex = at;
    const m = TAIL.exec(text);
    if (!m) continue;
    // The offset is the match up to the module (" [mod]").
    const f: Frame = { function: text.slice(start, at), offset: m[1] ? m[0].slice(0, m[0].indexOf(' [')) : m[0] };
    if (m[1]) f.module = m[1];
    if (start >= 2 && text.charCodeAt(start - 2) === 63 /* ? */ && text.charCodeAt(start - 1) === 32) f.unreliable = true;
    return f;
  }
  return undefined;
}

/** Drop compiler clone suffixes: ".constprop.0", ".isra.0", ".cold", ".part.1". */
export function cleanFunction(name: string): string {
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
