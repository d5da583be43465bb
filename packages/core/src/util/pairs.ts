/**
 * Splits a flat reply `[a1, b1, a2, b2, …]` (HGETALL, ZRANGE … WITHSCORES, HRANDFIELD … WITHVALUES)
 * into pairs. A trailing odd element (which Redis never sends) is ignored.
 * @param flat - The reply, as node-redis returns it (strings or Buffers).
 * @returns `[[a1, b1], [a2, b2], …]`, in reply order.
 */
export function flatPairs<T>(flat: readonly T[]): [T, T][] {
  const out: [T, T][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    out.push([flat[i] as T, flat[i + 1] as T]);
  }
  return out;
}

/**
 * Reads an HGETALL reply sent with `{ buffers: true }` as field name → value bytes: the field is
 * decoded as UTF-8, the value kept as bytes (a codec decodes it). A trailing odd element is
 * ignored.
 * @param flat - The HGETALL reply as Buffers.
 * @returns `[[field, bytes], …]`, in reply order.
 */
export function hashEntries(flat: readonly Buffer[]): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    out.push([(flat[i] as Buffer).toString('utf8'), flat[i + 1] as Buffer]);
  }
  return out;
}
