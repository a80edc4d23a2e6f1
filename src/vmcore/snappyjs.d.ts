// snappyjs ships no types; the two functions this project uses.
declare module 'snappyjs' {
  export function uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
  export function compress(input: Uint8Array): Uint8Array;
  const _default: { uncompress: typeof uncompress; compress: typeof compress };
  export default _default;
}
