/** Little-endian integer fields. "u64" holds a safe integer (≤ 2^53 − 1) as two u32 halves. */

export function putU32(view: DataView, at: number, value: number): void {
  view.setUint32(at, value >>> 0, true);
}

export function putU64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % 0x1_0000_0000, true);
  view.setUint32(at + 4, Math.floor(value / 0x1_0000_0000), true);
}

export function getU32(view: DataView, at: number): number {
  return view.getUint32(at, true);
}

/** Reads a u64; returns -1 when it is not a safe integer (only corruption produces one). */
export function getU64(view: DataView, at: number): number {
  const lo = view.getUint32(at, true);
  const hi = view.getUint32(at + 4, true);
  if (hi >= 0x20_0000) return -1;
  return hi * 0x1_0000_0000 + lo;
}

export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}
