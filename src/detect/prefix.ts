// The literal text every match of an anchored regex starts with, and the characters a match
// can start with, read from the regex itself: the prefilters of the header table and of the
// line readers are built from the patterns they stand for, so a pattern cannot be missed. Conservative: the prefix ends at the first thing that is not one fixed character (a
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

/** The top-level branches of a group's body `src` (from just after "(?:" to its ")"), or
 * undefined when the group is not closed. */
function branches(src: string, from: number): { parts: string[]; end: number } | undefined {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = from;
  for (let i = from; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === '\\') { i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; continue; }
    if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (ch === ')') { parts.push(src.slice(start, i)); return { parts, end: i + 1 }; }
    else if (ch === '|' && depth === 0) { parts.push(src.slice(start, i)); start = i + 1; }
  }
  return undefined;
}

/** The characters every match of `re` can start with: the first literal of `^lit...` or of each
 * branch of `^(?:a|b|...)` (undefined when that is not the regex's form, or a branch's first
 * character is not a fixed one, or the group is optional). */
export function leadingChars(re: RegExp): string[] | undefined {
  const src = re.source;
  if (!src.startsWith('^') || /[imsuv]/.test(re.flags)) return undefined;
  const one = (body: string): string | undefined => {
    const p = literalPrefix(new RegExp(`^${body}`));
    return p === '' ? undefined : p[0];
  };
  if (!src.startsWith('^(?:')) {
    const c = one(src.slice(1));
    return c === undefined ? undefined : [c];
  }
  const group = branches(src, 4);
  const after = src[group?.end ?? 0];
  if (!group || (after !== undefined && '?*{'.includes(after)) || hasTopLevelAlternation(src)) return undefined;
  const out: string[] = [];
  for (const b of group.parts) {
    const c = one(b);
    if (c === undefined) return undefined;
    out.push(c);
  }
  return out;
}
