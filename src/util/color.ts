// Whether to colour text output: `--color=always|never` decides; `auto` (the default)
// colours a terminal only, and the environment has its say there: NO_COLOR (any
// non-empty value, no-color.org) turns colour off, FORCE_COLOR turns it on (except
// FORCE_COLOR=0 or false), TERM=dumb turns it off.
export const COLOR_WHEN = ['auto', 'always', 'never'] as const;
export type ColorWhen = (typeof COLOR_WHEN)[number];

export function wantColor(when: ColorWhen, isTTY: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (when === 'always') return true;
  if (when === 'never') return false;
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return isTTY === true && env.TERM !== 'dumb';
}
