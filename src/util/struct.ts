// Structs declared once as field tables; their size and field offsets are computed,
// never hand-typed. A struct reads from a Cursor into a plain object.
import type { Cursor } from './cursor.js';

type FieldType = 'u8' | 'u16' | 'u32' | 'i32' | 'u64' | 'i64' | { bytes: number } | { cstring: number };
type FieldValue<T> = T extends 'u64' | 'i64' ? bigint : T extends { bytes: number } ? Uint8Array : T extends { cstring: number } ? string : number;

export type Fields = readonly (readonly [name: string, type: FieldType])[];
export type StructOf<F extends Fields> = { [K in F[number] as K[0]]: FieldValue<K[1]> };

const SIZES = { u8: 1, u16: 2, u32: 4, i32: 4, u64: 8, i64: 8 } as const;

function sizeOf(t: FieldType): number {
  if (typeof t === 'string') return SIZES[t];
  return 'bytes' in t ? t.bytes : t.cstring;
}

export interface Struct<F extends Fields> {
  readonly name: string;
  readonly size: number;
  readonly offsets: Readonly<Record<F[number][0], number>>;
  read(c: Cursor): StructOf<F>;
}

export function struct<const F extends Fields>(name: string, fields: F): Struct<F> {
  const offsets: Record<string, number> = {};
  let size = 0;
  for (const [field, type] of fields) {
    offsets[field] = size;
    size += sizeOf(type);
  }
  return {
    name,
    size,
    offsets: offsets as Record<F[number][0], number>,
    read(c: Cursor): StructOf<F> {
      c.need(size);
      const out: Record<string, unknown> = {};
      for (const [field, type] of fields) {
        if (typeof type === 'string') out[field] = c[type]();
        else if ('bytes' in type) out[field] = c.bytesView(type.bytes);
        else out[field] = c.cstring(type.cstring);
      }
      return out as StructOf<F>;
    },
  };
}
