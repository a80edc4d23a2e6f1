// EFI GUIDs are stored mixed-endian: u32, u16, u16 little-endian, then 8 bytes in order
// (the kernel's guid_t / GUID_INIT; printed with %pUl).
export function guidString(b: Uint8Array): string {
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Array.from(b.subarray(from, to), (x) => x.toString(16).padStart(2, '0'));
    return (reverse ? part.reverse() : part).join('');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}

/** Bytes of a GUID written as text, for builders and tests. */
export function guidBytes(text: string): Uint8Array {
  const h = text.replace(/-/g, '');
  const raw = Uint8Array.from({ length: 16 }, (_, i) => parseInt(h.slice(i * 2, i * 2 + 2), 16));
  const out = new Uint8Array(raw);
  out.set([raw[3]!, raw[2]!, raw[1]!, raw[0]!, raw[5]!, raw[4]!, raw[7]!, raw[6]!], 0);
  return out;
}
