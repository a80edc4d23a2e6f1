// Text that fits a terminal's width: a line longer than `width` is folded at spaces, each
// continuation indented four more than the line's own indent. Colour codes (SGR) take no
// columns. Only for a terminal: a pipe or a file gets the lines whole, for grep.
const SGR = /\x1b\[[0-9;]*m/g;
const visible = (s: string): number => s.replace(SGR, '').length;
/** Narrower than this, folding helps nobody. */
const MIN_WIDTH = 40;

export function fitWidth(text: string, width: number | undefined): string {
  if (!width || width < MIN_WIDTH) return text;
  return text.split('\n').map((line) => (visible(line) <= width ? line : fold(line, width))).join('\n');
}

function fold(line: string, width: number): string {
  const indent = /^ */.exec(line)![0].length;
  const pad = ' '.repeat(Math.min(indent + 4, width >> 1));
  const words = line.slice(indent).split(' ');
  const out: string[] = [];
  let cur = ' '.repeat(indent);
  let len = indent;
  let start = indent;
  for (const w of words) {
    const n = visible(w);
    // A word that would pass the edge starts the next line, unless the line holds none yet
    // (a word longer than the width stays whole: a path must stay copyable).
    if (len > start && len + 1 + n > width) {
      out.push(cur);
      cur = pad + w;
      len = start = pad.length;
      len += n;
    } else {
      // A space between words, and each one of a run of spaces (empty "words") kept.
      const sep = len === start ? '' : ' ';
      cur += sep + w;
      len += sep.length + n;
    }
  }
  out.push(cur);
  return out.join('\n');
}
