// Shell completion scripts for bash and zsh, from the commander definitions:
// `crashlog completion bash` prints one (`npm run dist` also writes dist/completion/).
import type { Command } from 'commander';
import { commandDocs, type CommandDoc } from './cli-docs.js';

export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

/** A word safe inside single quotes. */
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function completionScript(program: Command, shell: Shell): string {
  const docs = commandDocs(program);
  return shell === 'bash' ? bash(docs) : zsh(docs);
}

/** "parent:child" case patterns: the words that walk down to a subcommand. */
function descents(docs: CommandDoc[]): string {
  return docs.filter((d) => d.path.length > 0).map((d) => `"${d.path.slice(0, -1).join(' ')}:${d.path.at(-1)}"`).join('|');
}

function valueCases(docs: CommandDoc[], reply: (choices: readonly string[] | undefined) => string): string {
  const lines: string[] = [];
  for (const d of docs) {
    for (const o of d.options.filter((x) => x.takesValue)) {
      lines.push(`      ${o.names.map((n) => `"${d.path.join(' ')}:${n}"`).join('|')}) ${reply(o.choices)} ;;`);
    }
  }
  return lines.join('\n');
}

function bash(docs: CommandDoc[]): string {
  const byPath = docs.map((d) => `      "${d.path.join(' ')}") opts=${sq(d.options.flatMap((o) => o.names).join(' '))}; subs=${sq(d.subcommands.join(' '))}; files=${d.takesFiles ? 1 : 0} ;;`).join('\n');
  return `# bash completion for crashlog (generated from its command definitions)
_crashlog() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} node="" w i opts subs files
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    case "$node:$w" in
      ${descents(docs)}) node="\${node:+$node }$w" ;;
    esac
  done
  if [[ $cur != -* ]]; then
    case "$node:$prev" in
${valueCases(docs, (c) => (c ? `COMPREPLY=($(compgen -W ${sq(c.join(' '))} -- "$cur")); return` : 'compopt -o default; COMPREPLY=(); return'))}
    esac
  fi
  case "$node" in
${byPath}
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  elif [[ -n $subs ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  elif [[ $files == 1 ]]; then
    compopt -o default; COMPREPLY=()
  fi
}
complete -F _crashlog crashlog
`;
}

function zsh(docs: CommandDoc[]): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  const byPath = docs.map((d) => {
    const opts = d.options.flatMap((o) => o.names.map((n) => sq(`${n}:${esc(o.description)}`))).join(' ');
    return `    "${d.path.join(' ')}") opts=(${opts}); subs=(${d.subcommands.map(sq).join(' ')}); files=${d.takesFiles ? 1 : 0} ;;`;
  }).join('\n');
  return `#compdef crashlog
# zsh completion for crashlog (generated from its command definitions)
_crashlog() {
  local node="" w i files
  local -a opts subs
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    case "$node:$w" in
      ${descents(docs)}) node="\${node:+$node }$w" ;;
    esac
  done
  if [[ \${words[CURRENT]} != -* ]]; then
    case "$node:\${words[CURRENT-1]}" in
${valueCases(docs, (c) => (c ? `compadd -- ${c.map(sq).join(' ')}; return` : '_files; return'))}
    esac
  fi
  case "$node" in
${byPath}
  esac
  if [[ \${words[CURRENT]} == -* ]]; then
    _describe -t options option opts
  elif (( \${#subs} )); then
    compadd -- $subs
  elif [[ $files == 1 ]]; then
    _files
  fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _crashlog "$@"; else compdef _crashlog crashlog; fi
`;
}
