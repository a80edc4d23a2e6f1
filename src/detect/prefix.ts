// The literal text every match of an anchored regex starts with, read from the regex itself:
// the header table's prefilter is built from its rows' own headers, so a row cannot be missed
// by it. Conservative: the prefix ends at the first thing that is not one fixed character (a
// class, a group, a wildcard, a top-level alternation) and drops a character a quantifier
// makes optional or repeats.

/** Escapes that stand for the character itself. */
const SELF_ESCAPE = /[\\/.*+?^${}()|[\]\-:!#&,<=>@`'"~ _%;]/;
/** Characters that end the literal run. */
const SPECIAL = '.*+?^$()[]{}|';
const QUANTIFIER = '*+?{';

/** A top-level `|` (outside groups and classes): the branches share no prefix. */
function hasTopLevelAlternation(src: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') { i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; continue; }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

/** The literal prefix of every match of `re` ('' when it is not anchored with `^`, or has flags
 * that change what a character matches). */
export function literalPrefix(re: RegExp): string {
  const src = re.source;
  if (!src.startsWith('^') || /[imsuv]/.test(re.flags) || hasTopLevelAlternation(src)) return '';
  let out = '';
  for (let i = 1; i < src.length; ) {
    const ch = src[i]!;
    let lit: string;
    let next: number;
    if (ch === '\\') {
      const e = src[i + 1];
      if (e === undefined || !SELF_ESCAPE.test(e)) break;
      lit = e;
      next = i + 2;
    } else if (SPECIAL.includes(ch)) {
      break;
    } else {
      lit = ch;
      next = i + 1;
    }
    if (next < src.length && QUANTIFIER.includes(src[next]!)) break;
    out += lit;
    i = next;
  }
  return out;
}
