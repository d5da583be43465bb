/** Number of hash slots in a Redis Cluster. */
const SLOTS = 16_384;

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    table[i] = crc;
  }
  return table;
})();

/** Byte `i` of a key: char codes for ASCII keys (no allocation), UTF-8 bytes otherwise. */
type ByteAt = (i: number) => number;

function slotOf(byteAt: ByteAt, length: number): number {
  // Redis hashes the first non-empty `{…}` when there is one, else the whole key.
  let start = 0;
  let end = length;
  let open = -1;
  for (let i = 0; i < length; i++) {
    const byte = byteAt(i);
    if (open === -1) {
      if (byte === 0x7b) open = i;
    } else if (byte === 0x7d) {
      if (i > open + 1) {
        start = open + 1;
        end = i;
      }
      break;
    }
  }
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ (CRC16_TABLE[((crc >> 8) ^ byteAt(i)) & 0xff] ?? 0);
  }
  return crc % SLOTS;
}

/**
 * The cluster hash slot of a key, as `CLUSTER KEYSLOT` computes it (CRC16 of the hash tag, or
 * of the whole key, modulo 16384).
 * @internal Finds the node a command goes to, so that a call waits for that node only.
 * @param key - The key.
 * @returns The slot, 0–16383.
 */
export function keySlot(key: string): number {
  // Keys built by KeyBuilder are ASCII (everything else is percent-encoded).
  if (Buffer.byteLength(key, 'utf8') === key.length) {
    return slotOf((i) => key.charCodeAt(i), key.length);
  }
  const bytes = Buffer.from(key, 'utf8');
  return slotOf((i) => bytes[i] ?? 0, bytes.length);
}
