// Titles are normalized as syzbot normalizes them (syzkaller pkg/report, dynamicTitleReplacement
// and sanitizeTitle): what changes from run to run (addresses, pids, line numbers, offsets,
// counts) becomes ADDR / NUM / LINE / IP, so that one bug always has one title.

/** Titles longer than this are cut: corrupted, interleaved lines can be very long. */
export const MAX_TITLE = 120;

// syzkaller pkg/report/report.go dynamicTitleReplacement, in its order; each is applied until
// the title stops changing. Every pattern is free of nested quantifiers (linear).
const REPLACEMENTS: readonly [RegExp, string][] = [
  [/syz-executor\.?[0-9]{1,10}(?:[/:][0-9]{1,10})?/g, 'syz-executor'],
  [/syzkaller[0-9]{1,10}(?:[/:][0-9]{1,10})?/g, 'syzkaller'],
  // Anything that looks like an address, whatever the row: addresses never make a good title.
  [/([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}/g, '$1ADDR'],
  [/[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}/g, 'IP'],
  [/(\.\w{1,64})(?::[0-9]{1,10}){1,8}/g, '$1:LINE'],
  [/([a-zA-Z][a-zA-Z0-9_.]{0,200})\+0x[0-9a-z]{1,16}\/0x[0-9a-z]{1,16}/g, '$1'],
  [/CPU#[0-9]{1,5}/g, 'CPU'],
  // A decimal number standing alone; digits inside a name stay (cfg80211, nl802154).
  [/(\W)\d+(?=\W|$)/g, '$1NUM'],
  // ... unless the run is too long to be part of a name (a panic message's long decimal).
  [/\d{7,}/g, 'NUM'],
];

/** A replacement re-applied until the title is stable, at most this often. */
const MAX_PASSES = 8;

/** Titles seen, normalized: one bug repeats its title across boots (a fleet's archive). */
const seen = new Map<string, string>();
const SEEN_MAX = 4096;

export function normalizeTitle(title: string): string {
  let known = seen.get(title);
  if (known === undefined) {
    if (seen.size >= SEEN_MAX) seen.clear();
    seen.set(title, (known = normalize(title)));
  }
  return known;
}

function normalize(title: string): string {
  let t = title;
  for (const [re, to] of REPLACEMENTS) {
    for (let i = 0; i < MAX_PASSES; i++) {
      const next = t.replace(re, to);
      if (next === t) break;
      t = next;
    }
  }
  let out = '';
  let prev = ' ';
  for (let i = 0; i < t.length && i < MAX_TITLE; i++) {
    let ch = t[i]!;
    if (ch === '\t') ch = ' ';
    else if (ch < ' ' || ch > '~') continue;
    if (ch === ' ' && prev === ' ') continue;
    out += ch;
    prev = ch;
  }
  return out.trim();
}
