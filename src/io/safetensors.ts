// The safetensors format (huggingface/safetensors), pure and browser-safe:
//
//   [8 bytes: N, unsigned little-endian]  [N bytes: JSON header, UTF-8]  [data]
//
// The header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (byte
// offsets into the data section) and may hold "__metadata__", a map of strings to strings. Data is
// row-major, little-endian. encodeSafetensors writes what the reference Rust implementation writes,
// byte for byte: compact JSON with "__metadata__" first, tensors laid out by descending dtype
// (F64, F32, I32, BOOL) then by name, the header padded with spaces to a multiple of 8 bytes (so
// every tensor's data is aligned to its element size). decodeSafetensors checks what the reference
// reader checks (header length, JSON, dtypes, shapes, contiguous offsets covering the data exactly)
// and names the file in every error.
//
// diffmol dtypes map to F64, F32, I32 and BOOL. Reading also accepts the integer types U8, I8,
// U16, I16 (widened to int32) and I64, U32 (int32 when every value fits), and F16/BF16 (as
// float32); other dtypes are reported as unsupported.
import { np, Tensor, tree } from "../index.js";
import type { DType } from "../index.js";

// safetensors has no complex dtype; complex tensors are refused by name rather than written as "undefined".
const WRITE_DTYPE: Partial<Record<DType, "F64" | "F32" | "I32" | "BOOL">> = { float64: "F64", float32: "F32", int32: "I32", bool: "BOOL" };
const ELEMENT_BYTES: Record<string, number> = { BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8 };
// The reference implementation's dtype order (its Dtype enum), used to lay tensors out by descending dtype.
const DTYPE_RANK: Record<string, number> = { BOOL: 0, U8: 4, I8: 5, I16: 11, U16: 12, F16: 13, BF16: 14, I32: 15, U32: 16, F32: 17, F64: 19, I64: 20, U64: 21 };
const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsContents {
  tensors: Record<string, Tensor>;
  /** The header's "__metadata__" (empty when absent). */
  metadata: Record<string, string>;
}

const utf8 = new TextEncoder();

function compareBytes(a: string, b: string): number {
  // Rust orders Strings by their UTF-8 bytes.
  const x = utf8.encode(a), y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let k = 0; k < n; k++) if (x[k] !== y[k]) return x[k] - y[k];
  return x.length - y.length;
}

/**
 * Encode named tensors (and optional string metadata) as a safetensors file. Names must be
 * non-empty and not "__metadata__"; tensors must be concrete (not traced).
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  if (tensors === null || typeof tensors !== "object") throw new TypeError("encodeSafetensors: tensors must be an object mapping names to tensors");
  const entries = Object.entries(tensors).map(([name, t]) => {
    if (name === "" || name === "__metadata__") throw new Error(`encodeSafetensors: ${JSON.stringify(name)} cannot name a tensor`);
    if (!(t instanceof Tensor)) throw new TypeError(`encodeSafetensors: ${name} is not a Tensor (got ${t === null ? "null" : typeof t})`);
    const dtype = WRITE_DTYPE[t.dtype];
    if (dtype === undefined) throw new TypeError(`encodeSafetensors: ${name} has dtype ${t.dtype}, which safetensors cannot store (write its real and imaginary parts as two tensors)`);
    return { name, tensor: t, dtype };
  });
  entries.sort((a, b) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || compareBytes(a.name, b.name));

  // Entries, turned into an object with Object.fromEntries (own properties even for "__proto__").
  const header: [string, unknown][] = [];
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== "object") throw new TypeError("encodeSafetensors: metadata must be an object of strings");
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new TypeError(`encodeSafetensors: metadata ${k} must be a string, got ${typeof v}`);
    }
    header.push(["__metadata__", Object.fromEntries(Object.entries(metadata))]);
  }
  let offset = 0;
  const blobs: Uint8Array[] = [];
  for (const { name, tensor, dtype } of entries) {
    let data: ArrayBufferView;
    try {
      data = tensor.data();
    } catch (e) {
      throw new Error(`encodeSafetensors: cannot read the values of ${name} (a traced tensor? save concrete values): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const bytes = littleEndianBytes(data, dtype);
    header.push([name, { dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes.length] }]);
    blobs.push(bytes);
    offset += bytes.length;
  }
  const json = utf8.encode(JSON.stringify(Object.fromEntries(header)));
  const n = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + n + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(n), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  let at = 8 + n;
  for (const b of blobs) { out.set(b, at); at += b.length; }
  return out;
}

function littleEndianBytes(data: ArrayBufferView, dtype: string): Uint8Array {
  const size = ELEMENT_BYTES[dtype];
  const src = data as unknown as ArrayLike<number>;
  const count = src.length;
  const out = new Uint8Array(count * size);
  const view = new DataView(out.buffer);
  switch (dtype) {
    case "F64": for (let k = 0; k < count; k++) view.setFloat64(8 * k, src[k], true); break;
    case "F32": for (let k = 0; k < count; k++) view.setFloat32(4 * k, src[k], true); break;
    case "I32": for (let k = 0; k < count; k++) view.setInt32(4 * k, src[k], true); break;
    case "BOOL": for (let k = 0; k < count; k++) out[k] = src[k] ? 1 : 0; break;
    default: throw new Error(`encodeSafetensors: cannot write dtype ${dtype}`);
  }
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/**
 * Decode a safetensors file. `name` (the file name) prefixes every error:
 * `decodeSafetensors: model.safetensors: tensor w: data_offsets [0, 12] hold 12 bytes, shape [2, 2] of F32 needs 16`.
 */
export function decodeSafetensors(bytes: Uint8Array, name = "safetensors"): SafetensorsContents {
  const where = `decodeSafetensors: ${name}`;
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${where}: expected a Uint8Array, got ${bytes === null ? "null" : typeof bytes}`);
  if (bytes.length < 8) throw new Error(`${where}: ${bytes.length} bytes is too short for a safetensors file (it starts with an 8-byte header length); the file is truncated or not safetensors`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_BYTES)) throw new Error(`${where}: header length ${n64} exceeds the ${MAX_HEADER_BYTES}-byte limit; the file is corrupt or not safetensors`);
  const n = Number(n64);
  if (8 + n > bytes.length) throw new Error(`${where}: the header is ${n} bytes but the file has only ${bytes.length - 8} after the length; the file is truncated or not safetensors`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new Error(`${where}: the header is not valid UTF-8; the file is corrupt or not safetensors`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: the header is not valid JSON (${e instanceof Error ? e.message : String(e)}); the file is corrupt or not safetensors`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) throw new Error(`${where}: the header must be a JSON object`);
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;

  const metaEntries: [string, string][] = [];
  const infos: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [key, value] of Object.entries(header as Record<string, unknown>)) {
    if (key === "__metadata__") {
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${where}: __metadata__ must be an object of strings`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== "string") throw new Error(`${where}: __metadata__.${k} must be a string, got ${JSON.stringify(v)}`);
        metaEntries.push([k, v]);
      }
      continue;
    }
    const t = `${where}: tensor ${key}`;
    if (value === null || typeof value !== "object") throw new Error(`${t}: expected {dtype, shape, data_offsets}, got ${JSON.stringify(value)}`);
    const { dtype, shape, data_offsets } = value as Record<string, unknown>;
    if (typeof dtype !== "string" || !(dtype in ELEMENT_BYTES)) {
      throw new Error(`${t}: unsupported dtype ${JSON.stringify(dtype)} (diffmol reads F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL)`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new Error(`${t}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
    if (!Array.isArray(data_offsets) || data_offsets.length !== 2 || !data_offsets.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new Error(`${t}: data_offsets must be [begin, end], got ${JSON.stringify(data_offsets)}`);
    }
    const [begin, end] = data_offsets as number[];
    const size = (shape as number[]).reduce((a, d) => a * d, 1);
    const want = size * ELEMENT_BYTES[dtype];
    if (end < begin || end - begin !== want) throw new Error(`${t}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, shape [${shape}] of ${dtype} needs ${want}`);
    if (end > dataLength) throw new Error(`${t}: data_offsets [${begin}, ${end}] run past the end of the data (${dataLength} bytes); the file is truncated`);
    infos.push({ name: key, dtype, shape: shape as number[], begin, end });
  }
  // As the reference reader: sorted by offset, the tensors tile the data section exactly.
  const sorted = [...infos].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expect = 0;
  for (const info of sorted) {
    if (info.begin !== expect) {
      throw new Error(`${where}: tensor ${info.name}: data_offsets [${info.begin}, ${info.end}] ${info.begin < expect ? "overlap the previous tensor" : "leave a gap after the previous tensor"} (expected it to start at ${expect})`);
    }
    expect = info.end;
  }
  if (expect !== dataLength) throw new Error(`${where}: the tensors cover ${expect} bytes of data but the file holds ${dataLength}; the file is corrupt`);

  const tensors = Object.fromEntries(infos.map((info) => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + dataStart + info.begin, info.end - info.begin);
    const count = info.shape.reduce((a, d) => a * d, 1);
    return [info.name, np.frombuffer(readElements(dv, info.dtype, count, `${where}: tensor ${info.name}`), info.shape)];
  })) as Record<string, Tensor>;
  return { tensors, metadata: Object.fromEntries(metaEntries) };
}

function readElements(dv: DataView, dtype: string, count: number, where: string): Float64Array | Float32Array | Int32Array | Uint8Array {
  switch (dtype) {
    case "F64": { const a = new Float64Array(count); for (let k = 0; k < count; k++) a[k] = dv.getFloat64(8 * k, true); return a; }
    case "F32": { const a = new Float32Array(count); for (let k = 0; k < count; k++) a[k] = dv.getFloat32(4 * k, true); return a; }
    case "F16": { const a = new Float32Array(count); for (let k = 0; k < count; k++) a[k] = halfToFloat(dv.getUint16(2 * k, true)); return a; }
    case "BF16": {
      const a = new Float32Array(count), bits = new Uint32Array(a.buffer);
      for (let k = 0; k < count; k++) bits[k] = dv.getUint16(2 * k, true) << 16;
      return a;
    }
    case "I32": { const a = new Int32Array(count); for (let k = 0; k < count; k++) a[k] = dv.getInt32(4 * k, true); return a; }
    case "I16": { const a = new Int32Array(count); for (let k = 0; k < count; k++) a[k] = dv.getInt16(2 * k, true); return a; }
    case "U16": { const a = new Int32Array(count); for (let k = 0; k < count; k++) a[k] = dv.getUint16(2 * k, true); return a; }
    case "I8": { const a = new Int32Array(count); for (let k = 0; k < count; k++) a[k] = dv.getInt8(k); return a; }
    case "U8": { const a = new Int32Array(count); for (let k = 0; k < count; k++) a[k] = dv.getUint8(k); return a; }
    case "U32": case "I64": case "U64": {
      const a = new Int32Array(count);
      for (let k = 0; k < count; k++) {
        const v = dtype === "U32" ? BigInt(dv.getUint32(4 * k, true)) : dtype === "I64" ? dv.getBigInt64(8 * k, true) : dv.getBigUint64(8 * k, true);
        if (v < -2147483648n || v > 2147483647n) throw new Error(`${where}: ${dtype} value ${v} at element ${k} does not fit int32`);
        a[k] = Number(v);
      }
      return a;
    }
    case "BOOL": {
      const a = new Uint8Array(count);
      for (let k = 0; k < count; k++) {
        const v = dv.getUint8(k);
        if (v > 1) throw new Error(`${where}: BOOL element ${k} is ${v}, expected 0 or 1`);
        a[k] = v;
      }
      return a;
    }
    default: throw new Error(`${where}: unsupported dtype ${dtype}`);
  }
}

/**
 * Name the tensor leaves of a pytree by their paths (`params.layers[0].w`, from
 * tree.flattenWithPath without the leading dot; a bare tensor is named "tensor"). Number leaves
 * become float64 scalars and booleans bool scalars; other leaves are an error naming the path.
 */
export function namedLeaves(pytree: unknown): Record<string, Tensor> {
  const [leaves] = tree.flattenWithPath(pytree);
  const out = new Map<string, Tensor>();
  for (const [path, leaf] of leaves) {
    const name = path.replace(/^\./, "") || "tensor";
    if (out.has(name)) throw new Error(`safetensors: two leaves share the name ${name}`);
    if (leaf instanceof Tensor) out.set(name, leaf);
    else if (typeof leaf === "number") out.set(name, np.array(leaf, { dtype: "float64" }));
    else if (typeof leaf === "boolean") out.set(name, np.array(leaf, { dtype: "bool" }));
    else throw new TypeError(`safetensors: leaf ${name} is a ${leaf === null ? "null" : typeof leaf}, not a tensor, number or boolean`);
  }
  return Object.fromEntries(out);
}
