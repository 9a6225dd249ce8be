import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTextAtomic } from "../../src/io/index.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "diffmol-io-"));

test("writeTextAtomic writes the text and leaves no temporary file", () => {
  const dir = tempDir();
  try {
    const path = join(dir, "report.txt");
    writeTextAtomic(path, "first\n");
    assert.equal(readFileSync(path, "utf8"), "first\n");
    writeTextAtomic(path, "second — ünïcode\n");
    assert.equal(readFileSync(path, "utf8"), "second — ünïcode\n");
    writeTextAtomic(path, new Uint8Array([104, 105]));
    assert.equal(readFileSync(path, "utf8"), "hi");
    assert.deepEqual(readdirSync(dir), ["report.txt"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("writeTextAtomic that fails leaves the old file alone and cleans up its temporary file", () => {
  const dir = tempDir();
  try {
    // The final name is a directory: the temporary file is written, the rename fails.
    const blocked = join(dir, "out.txt");
    mkdirSync(blocked);
    writeFileSync(join(blocked, "keep"), "x");
    assert.throws(() => writeTextAtomic(blocked, "new"), /writeTextAtomic: could not write .*out\.txt: .*previous file, if any, is unchanged/);
    assert.deepEqual(readdirSync(dir), ["out.txt"]);
    assert.equal(readFileSync(join(blocked, "keep"), "utf8"), "x");
    // A missing directory: nothing is created.
    assert.throws(() => writeTextAtomic(join(dir, "missing", "a.txt"), "x"), /could not write .*missing.*a\.txt/);
    assert.throws(() => writeTextAtomic(join(dir, "b.txt"), 42 as unknown as string), /text must be a string or a Uint8Array, got number/);
    assert.deepEqual(readdirSync(dir), ["out.txt"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a process killed while rewriting a file with writeTextAtomic never leaves it half-written", async () => {
  const dir = tempDir();
  try {
    const path = join(dir, "big.txt");
    const ioUrl = new URL("../../src/io/index.js", import.meta.url).href;
    // Each version is "BEGIN k\n" + 8 MB + "END k\n"; the child rewrites the file as fast as it can.
    const script = `
      import { writeTextAtomic } from ${JSON.stringify(ioUrl)};
      const body = "x".repeat(8 * 1024 * 1024) + "\\n";
      for (let k = 0; ; k++) {
        writeTextAtomic(${JSON.stringify(path)}, "BEGIN " + k + "\\n" + body + "END " + k + "\\n");
        if (k === 0) process.stdout.write("first\\n");
      }`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once("data", () => resolve());
      child.once("exit", (code) => reject(new Error(`child exited early with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, 150));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const text = readFileSync(path, "utf8");
    const begin = /^BEGIN (\d+)\n/.exec(text);
    const end = /END (\d+)\n$/.exec(text);
    assert.ok(begin && end, "the file is complete");
    assert.equal(begin[1], end[1], "begin and end come from the same version");
    assert.equal(text.length, `BEGIN ${begin[1]}\n`.length + 8 * 1024 * 1024 + 1 + `END ${end[1]}\n`.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
