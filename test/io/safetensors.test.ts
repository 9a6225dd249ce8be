// The safetensors format. The byte-exact vectors below are the expected outputs of the reference
// implementation's own tests (huggingface/safetensors: the Rust crate's tensor.rs tests and the
// Python binding's tests/test_simple.py), so a file we write is the file the `safetensors`
// package writes, and the files it writes (padded or not, with metadata) read here. (Debian has
// no python3-safetensors package to run a live round trip against.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { np, Tensor } from "../../src/index.js";
import { decodeSafetensors, encodeSafetensors, loadCheckpoint, saveCheckpoint } from "../../src/io/index.js";

const enc = new TextEncoder();

/** Bytes from pieces: strings as UTF-8 (\x00-style escapes in JS strings are single bytes below 0x80), numbers as bytes. */
function bytes(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? enc.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let k = 0;
  for (const c of chunks) { out.set(c, k); k += c.length; }
  return out;
}
const zeros = (n: number) => new Array(n).fill(0);
/** The 8-byte little-endian header length. */
const u64 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255, 0, 0, 0, 0];

test("encodeSafetensors writes the reference implementation's bytes", () => {
  // Rust tensor.rs test_serialization: "attn.0", F32, shape [1, 2, 3], values 0..5.
  const attn = encodeSafetensors({ "attn.0": np.array([[[0, 1, 2], [3, 4, 5]]], { dtype: "float32" }) });
  assert.deepEqual(Array.from(attn), [
    64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
    116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
    58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
    101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
    0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
  ]);
  // Rust test_empty: no tensors, without and with metadata.
  assert.deepEqual(Array.from(encodeSafetensors({})), [8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
  assert.deepEqual(Array.from(encodeSafetensors({}, { framework: "pt" })), [
    40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
    95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
    116, 34, 125, 125, 32, 32, 32, 32, 32,
  ]);
  // Python test_simple.py test_serialization: I32 zeros [2, 2], then with [1, 1] = 1.
  const header = '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}    ';
  const t = np.zeros([2, 2], { dtype: "int32" });
  assert.deepEqual(encodeSafetensors({ test: t }), bytes([64, ...zeros(7)], header, zeros(16)));
  const t1 = np.array([[0, 0], [0, 1]], { dtype: "int32" });
  assert.deepEqual(encodeSafetensors({ test: t1 }), bytes([64, ...zeros(7)], header, [...zeros(12), 1, 0, 0, 0]));
  // Order-invariant (test_serialization_order_invariant).
  assert.deepEqual(encodeSafetensors({ test1: t, test2: t }), encodeSafetensors({ test2: t, test1: t }));
});

test("decodeSafetensors reads the reference implementation's files (unpadded, padded, metadata, scalars, empty)", () => {
  const dec = decodeSafetensors(bytes("<", zeros(7), '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}', zeros(16)));
  assert.deepEqual(Object.keys(dec.tensors), ["test"]);
  assert.equal(dec.tensors.test.dtype, "int32");
  assert.deepEqual(dec.tensors.test.toArray(), [[0, 0], [0, 0]]);
  assert.deepEqual(dec.metadata, {});
  const meta = decodeSafetensors(bytes("f", zeros(7), '{"__metadata__":{"framework":"pt"},"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}       ', zeros(16)));
  assert.deepEqual(meta.metadata, { framework: "pt" });
  assert.deepEqual(meta.tensors.test1.shape, [2, 2]);
  const scalar = decodeSafetensors(bytes("8", zeros(7), '{"test":{"dtype":"I32","shape":[],"data_offsets":[0,4]}}', [7, 0, 0, 0]));
  assert.deepEqual(scalar.tensors.test.shape, []);
  assert.equal(scalar.tensors.test.item(), 7);
  const empty = decodeSafetensors(bytes("<", zeros(7), '{"test":{"dtype":"I32","shape":[2,0],"data_offsets":[0, 0]}}'));
  assert.deepEqual(empty.tensors.test.shape, [2, 0]);
  // JSON whitespace around the header, leading too (test_whitespace_(leading_)padded_header).
  assert.deepEqual(decodeSafetensors(bytes([6, ...zeros(7)], "{}\r \t\n")).tensors, {});
  assert.deepEqual(decodeSafetensors(bytes([6, ...zeros(7)], "\t\n{}\r ")).tensors, {});
  // "__proto__" is an ordinary name, in both directions.
  const proto = decodeSafetensors(encodeSafetensors(Object.fromEntries([["__proto__", np.ones([1])]]), Object.fromEntries([["__proto__", "x"]])));
  assert.ok(Object.hasOwn(proto.tensors, "__proto__") && Object.hasOwn(proto.metadata, "__proto__"));
  assert.deepEqual(proto.tensors["__proto__"].toArray(), [1]);
  // The attn.0 file above decodes to its values.
  const attn = decodeSafetensors(encodeSafetensors({ "attn.0": np.array([[[0, 1, 2], [3, 4, 5]]], { dtype: "float32" }) }));
  assert.equal(attn.tensors["attn.0"].dtype, "float32");
  assert.deepEqual(attn.tensors["attn.0"].toArray(), [[[0, 1, 2], [3, 4, 5]]]);
});

test("a hand-built file from the spec: F64 and BOOL little-endian, other integer and half dtypes widened", () => {
  const f64 = new Uint8Array(16);
  new DataView(f64.buffer).setFloat64(0, -1.5, true);
  new DataView(f64.buffer).setFloat64(8, 2 ** -1074, true);
  const json = '{"b":{"dtype":"BOOL","shape":[3],"data_offsets":[16,19]},"x":{"dtype":"F64","shape":[2,1],"data_offsets":[0,16]},' +
    '"h":{"dtype":"F16","shape":[2],"data_offsets":[19,23]},"u":{"dtype":"U8","shape":[2],"data_offsets":[23,25]},' +
    '"l":{"dtype":"I64","shape":[1],"data_offsets":[25,33]},"bf":{"dtype":"BF16","shape":[1],"data_offsets":[33,35]}}';
  const file = bytes(u64(json.length), json, Array.from(f64), [1, 0, 1], [0x00, 0x3c, 0x00, 0xc0], [255, 7], [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x80, 0x3f]);
  const { tensors } = decodeSafetensors(file, "hand.safetensors");
  assert.deepEqual(tensors.x.toArray(), [[-1.5], [2 ** -1074]]);
  assert.equal(tensors.x.dtype, "float64");
  assert.deepEqual(tensors.b.toArray(), [true, false, true]);
  assert.deepEqual(tensors.h.toArray(), [1, -2]);
  assert.deepEqual(tensors.u.toArray(), [255, 7]);
  assert.equal(tensors.u.dtype, "int32");
  assert.deepEqual(tensors.l.toArray(), [-2]);
  assert.deepEqual(tensors.bf.toArray(), [1]);
});

test("round trip of every diffmol dtype: values bit for bit, layout F64 → F32 → I32 → BOOL with aligned offsets", () => {
  const tensors: Record<string, Tensor> = {
    "z.bool": np.array([[true, false], [false, true]]),
    "a.i32": np.array([-2147483648, 2147483647, 0, -1], { dtype: "int32" }),
    "m.f32": np.array([1.1, -0, Infinity, NaN, 3.4e38], { dtype: "float32" }),
    "k.f64": np.array([[Math.PI, -0, -Infinity], [NaN, 5e-324, 1.7976931348623157e308]]),
    "s.scalar": np.array(2.5),
    "e.empty": np.zeros([0, 3]),
    "odd": np.array([1, 2, 3], { dtype: "float32" }),
  };
  const file = encodeSafetensors(tensors, { step: "12", "note ü": "ünïcode" });
  const n = Number(new DataView(file.buffer).getBigUint64(0, true));
  assert.equal((8 + n) % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n)));
  assert.deepEqual(Object.keys(header), ["__metadata__", "e.empty", "k.f64", "s.scalar", "m.f32", "odd", "a.i32", "z.bool"]);
  for (const [name, info] of Object.entries(header) as [string, { dtype: string; data_offsets: number[] }][]) {
    if (name === "__metadata__") continue;
    const size = { F64: 8, F32: 4, I32: 4, BOOL: 1 }[info.dtype] as number;
    assert.equal(info.data_offsets[0] % size, 0, `${name} is aligned`);
  }
  const back = decodeSafetensors(file);
  assert.deepEqual(back.metadata, { step: "12", "note ü": "ünïcode" });
  for (const [name, t] of Object.entries(tensors)) {
    const u = back.tensors[name];
    assert.equal(u.dtype, t.dtype, name);
    assert.deepEqual(u.shape, t.shape, name);
    assert.deepEqual(new Uint8Array(u.data().buffer), new Uint8Array(t.data().buffer), name); // bit for bit (−0, NaN)
  }
});

test("corrupt and truncated files give errors that name the file", () => {
  const good = encodeSafetensors({ w: np.ones([2, 2]), b: np.zeros([2], { dtype: "float32" }) });
  const name = "model.safetensors";
  assert.throws(() => decodeSafetensors(good.subarray(0, 5), name), /model\.safetensors: 5 bytes is too short .*truncated/);
  assert.throws(() => decodeSafetensors(good.subarray(0, 40), name), /model\.safetensors: the header is \d+ bytes but the file has only 32 .*truncated/);
  assert.throws(() => decodeSafetensors(good.subarray(0, good.length - 4), name), /model\.safetensors: tensor \w: data_offsets .* run past the end of the data/);
  const padded = bytes(Array.from(good), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.throws(() => decodeSafetensors(padded, name), /model\.safetensors: the tensors cover 40 bytes of data but the file holds 48/);
  const huge = Uint8Array.from(good);
  new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
  assert.throws(() => decodeSafetensors(huge, name), /model\.safetensors: header length 1099511627776 exceeds/);
  const notJson = bytes([8, ...zeros(7)], "{oops}  ");
  assert.throws(() => decodeSafetensors(notJson, name), /model\.safetensors: the header is not valid JSON/);
  // Rust test_invalid_info: 2×2 I32 in 4 bytes.
  const invalidInfo = bytes("<", zeros(7), '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0, 4]}}');
  assert.throws(() => decodeSafetensors(invalidInfo, name), /model\.safetensors: tensor test: data_offsets \[0, 4\] hold 4 bytes, shape \[2,2\] of I32 needs 16/);
  const gap = '{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}';
  assert.throws(() => decodeSafetensors(bytes([gap.length, ...zeros(7)], gap, [0, 0]), name), /tensor a: data_offsets \[1, 2\] leave a gap/);
  const overlap = '{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}';
  assert.throws(() => decodeSafetensors(bytes([overlap.length, ...zeros(7)], overlap, [0, 0]), name), /overlap/);
  const c64 = '{"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}';
  assert.throws(() => decodeSafetensors(bytes([c64.length, ...zeros(7)], c64, zeros(8)), name), /model\.safetensors: tensor a: unsupported dtype "C64"/);
  const big = '{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}';
  assert.throws(() => decodeSafetensors(bytes([big.length, ...zeros(7)], big, [0, 0, 0, 0, 1, 0, 0, 0]), name), /tensor a: I64 value 4294967296 at element 0 does not fit int32/);
  const badBool = '{"a":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}';
  assert.throws(() => decodeSafetensors(bytes([badBool.length, ...zeros(7)], badBool, [2]), name), /BOOL element 0 is 2/);
  const badMeta = '{"__metadata__":{"n":1}}';
  assert.throws(() => decodeSafetensors(bytes([badMeta.length, ...zeros(7)], badMeta), name), /__metadata__\.n must be a string/);
  assert.throws(() => encodeSafetensors({ __metadata__: np.ones([1]) }), /cannot name a tensor/);
  assert.throws(() => encodeSafetensors({ w: [1, 2] as unknown as Tensor }), /w is not a Tensor/);
  assert.throws(() => encodeSafetensors({}, { n: 1 as unknown as string }), /metadata n must be a string/);
});

test("saveCheckpoint / loadCheckpoint: pytrees by path, atomic writes, clear errors naming tensor and file", () => {
  const dir = mkdtempSync(join(tmpdir(), "diffmol-ckpt-"));
  try {
    const model = {
      embedding: np.array([[0.1, 0.2], [0.3, 0.4]]),
      layers: [{ w: np.array([[1, 2], [3, 4]], { dtype: "float32" }), b: np.zeros([2], { dtype: "float32" }) }, { w: np.eye(2), b: np.ones([2]) }],
      step: 42,
      frozen: true,
      idx: np.array([3, 1], { dtype: "int32" }),
      none: null,
    };
    const path = join(dir, "ckpt.safetensors");
    saveCheckpoint(path, model, { epoch: "3" });
    assert.deepEqual(readdirSync(dir), ["ckpt.safetensors"]); // no temporary file left behind
    // Names are the tree paths.
    const raw = loadCheckpoint(path);
    assert.deepEqual(Object.keys(raw.tree).sort(), ["embedding", "frozen", "idx", "layers[0].b", "layers[0].w", "layers[1].b", "layers[1].w", "step"]);
    assert.deepEqual(raw.metadata, { epoch: "3" });
    // Into the structure of `like`.
    const like = { ...model, step: 0, frozen: false, layers: model.layers.map((l) => ({ w: np.zerosLike(l.w), b: np.zerosLike(l.b) })) };
    const { tree: back, metadata } = loadCheckpoint(path, like);
    assert.deepEqual(metadata, { epoch: "3" });
    assert.equal(back.step, 42);
    assert.equal(back.frozen, true);
    assert.equal(back.none, null);
    assert.equal(back.layers[0].w.dtype, "float32");
    assert.deepEqual(back.layers[0].w.toArray(), [[1, 2], [3, 4]]);
    assert.deepEqual(back.layers[1].w.toArray(), [[1, 0], [0, 1]]);
    assert.deepEqual(back.idx.toArray(), [3, 1]);
    // Overwriting replaces the file atomically.
    saveCheckpoint(path, { ...model, step: 43 }, { epoch: "4" });
    assert.equal(loadCheckpoint(path, like).tree.step, 43);
    assert.deepEqual(readdirSync(dir), ["ckpt.safetensors"]);

    // Mismatches name the tensor and the file.
    const wrongShape = { ...like, embedding: np.zeros([3, 2]) };
    assert.throws(() => loadCheckpoint(path, wrongShape), (e: Error) => e.message.includes(path) && /tensor embedding has shape \[2,2\], expected \[3,2\]/.test(e.message));
    const wrongDtype = { ...like, embedding: np.zeros([2, 2], { dtype: "float32" }) };
    assert.throws(() => loadCheckpoint(path, wrongDtype), /tensor embedding has dtype float64, expected float32/);
    const missing = { ...like, extra: np.zeros([1]) };
    assert.throws(() => loadCheckpoint(path, missing), (e: Error) => e.message.includes(path) && /no tensor named extra/.test(e.message));
    const { idx: _idx, ...fewer } = like;
    assert.throws(() => loadCheckpoint(path, fewer), /the file has tensors that `like` has no leaf for: idx/);
    assert.equal(loadCheckpoint(path, fewer, { allowExtra: true }).tree.step, 43);
    assert.throws(() => loadCheckpoint(path, { ...like, embedding: 0 }), /tensor embedding has shape \[2,2\], expected a scalar \(the leaf is a number\)/);

    // Truncated and corrupt files on disk, and missing files.
    const bad = join(dir, "truncated.safetensors");
    writeFileSync(bad, readFileSync(path).subarray(0, 100));
    assert.throws(() => loadCheckpoint(bad, like), (e: Error) => e.message.includes(bad) && /truncated/.test(e.message));
    const garbage = join(dir, "garbage.safetensors");
    writeFileSync(garbage, "not a checkpoint at all, just text");
    assert.throws(() => loadCheckpoint(garbage), (e: Error) => e.message.includes(garbage));
    assert.throws(() => loadCheckpoint(join(dir, "absent.safetensors")), /loadCheckpoint: cannot read .*absent\.safetensors/);
    assert.throws(() => saveCheckpoint(join(dir, "x.safetensors"), { w: "text" }), /saveCheckpoint: .*x\.safetensors: safetensors: leaf w is a string/);
    assert.ok(!existsSync(join(dir, "x.safetensors")));
    assert.throws(() => saveCheckpoint(join(dir, "no-such-dir", "y.safetensors"), model), /could not write/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
