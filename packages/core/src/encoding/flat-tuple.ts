/**
 * Decodes a msgpack array whose elements are all scalars (nil, booleans, numbers, strings) —
 * the shape of every record layout — without the general decoder's per-call set-up. Returns
 * `undefined` for anything else (maps, nested arrays, binary, extensions, trailing or missing
 * bytes), and the caller falls back on the general decoder, so for valid UTF-8 the result equals what
 * `@msgpack/msgpack` would give.
 * @param bytes - Encoded bytes.
 * @returns The array, or `undefined` when the bytes are not a flat scalar array.
 */
export function decodeFlatTuple(bytes: Buffer): unknown[] | undefined {
  const end = bytes.length;
  if (end === 0) return undefined;
  const head = bytes[0] as number;
  let count: number;
  let pos: number;
  if (head >= 0x90 && head <= 0x9f) {
    count = head & 0x0f;
    pos = 1;
  } else if (head === 0xdc && end >= 3) {
    count = bytes.readUInt16BE(1);
    pos = 3;
  } else {
    return undefined;
  }
  const out = new Array<unknown>(count);
  for (let i = 0; i < count; i++) {
    if (pos >= end) return undefined;
    const type = bytes[pos] as number;
    pos++;
    let size = 0;
    if (type <= 0x7f) {
      out[i] = type;
      continue;
    }
    if (type >= 0xe0) {
      out[i] = type - 0x100;
      continue;
    }
    if (type >= 0xa0 && type <= 0xbf) {
      size = type & 0x1f;
    } else {
      switch (type) {
        case 0xc0:
          out[i] = null;
          continue;
        case 0xc2:
          out[i] = false;
          continue;
        case 0xc3:
          out[i] = true;
          continue;
        case 0xca:
          if (pos + 4 > end) return undefined;
          out[i] = bytes.readFloatBE(pos);
          pos += 4;
          continue;
        case 0xcb:
          if (pos + 8 > end) return undefined;
          out[i] = bytes.readDoubleBE(pos);
          pos += 8;
          continue;
        case 0xcc:
          if (pos + 1 > end) return undefined;
          out[i] = bytes[pos];
          pos += 1;
          continue;
        case 0xcd:
          if (pos + 2 > end) return undefined;
          out[i] = bytes.readUInt16BE(pos);
          pos += 2;
          continue;
        case 0xce:
          if (pos + 4 > end) return undefined;
          out[i] = bytes.readUInt32BE(pos);
          pos += 4;
          continue;
        case 0xcf:
          if (pos + 8 > end) return undefined;
          out[i] = bytes.readUInt32BE(pos) * 0x1_0000_0000 + bytes.readUInt32BE(pos + 4);
          pos += 8;
          continue;
        case 0xd0:
          if (pos + 1 > end) return undefined;
          out[i] = bytes.readInt8(pos);
          pos += 1;
          continue;
        case 0xd1:
          if (pos + 2 > end) return undefined;
          out[i] = bytes.readInt16BE(pos);
          pos += 2;
          continue;
        case 0xd2:
          if (pos + 4 > end) return undefined;
          out[i] = bytes.readInt32BE(pos);
          pos += 4;
          continue;
        case 0xd3:
          if (pos + 8 > end) return undefined;
          out[i] = bytes.readInt32BE(pos) * 0x1_0000_0000 + bytes.readUInt32BE(pos + 4);
          pos += 8;
          continue;
        case 0xd9:
          if (pos + 1 > end) return undefined;
          size = bytes[pos] as number;
          pos += 1;
          break;
        case 0xda:
          if (pos + 2 > end) return undefined;
          size = bytes.readUInt16BE(pos);
          pos += 2;
          break;
        case 0xdb:
          if (pos + 4 > end) return undefined;
          size = bytes.readUInt32BE(pos);
          pos += 4;
          break;
        default:
          return undefined; // maps, arrays, binary, extensions
      }
    }
    if (pos + size > end) return undefined;
    out[i] = bytes.toString('utf8', pos, pos + size);
    pos += size;
  }
  return pos === end ? out : undefined;
}
