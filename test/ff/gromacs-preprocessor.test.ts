// The GROMACS preprocessor subset: conditionals, macros, include search order, errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { preprocess } from "../../src/ff/gromacs/preprocessor.js";
import { memoryFileSource, joinPath, normalizePath, dirnameOf } from "../../src/ff/gromacs/file-source.js";

const texts = (files: Record<string, string>, path: string, options = {}) =>
  preprocess(path, memoryFileSource(files), options).lines.map((l) => l.text.trim());

test("#ifdef / #ifndef / #else / #endif keep the right branch, nested", () => {
  const src = [
    "#define A", "#ifdef A", "a-on", "#ifdef B", "b-on", "#else", "b-off", "#endif", "#else", "a-off", "#endif",
    "#ifndef A", "not-a", "#endif", "#ifdef B", "#ifdef A", "inner-never", "#else", "inner-else-never", "#endif", "#endif",
  ].join("\n");
  assert.deepEqual(texts({ "t.top": src }, "t.top"), ["a-on", "b-off"]);
  assert.deepEqual(texts({ "t.top": src }, "t.top", { defines: { B: "" } }), ["a-on", "b-on", "inner-never"]);
});

test("#define substitutes whole words only; #undef removes; the value is the rest of the line", () => {
  const src = ["#define gb_1 0.1000 1.5700e+07 ; comment", "1 2 2 gb_1", "1 2 2 gb_10 xgb_1", "#undef gb_1", "1 2 2 gb_1"].join("\n");
  assert.deepEqual(texts({ "t.itp": src }, "t.itp"), ["1 2 2 0.1000 1.5700e+07", "1 2 2 gb_10 xgb_1", "1 2 2 gb_1"]);
  const out = preprocess("t.itp", memoryFileSource({ "t.itp": "#define X 1\n#define Y" }));
  assert.deepEqual(out.defines, { X: "1", Y: "" });
});

test("lines ending in a backslash continue on the next line and keep the first line's number", () => {
  const out = preprocess("c.itp", memoryFileSource({ "c.itp": "first\nA B \\\nC \\\nD\nlast" }));
  assert.deepEqual(out.lines.map((l) => [l.text.replace(/\s+/g, " ").trim(), l.line]), [["first", 1], ["A B C D", 2], ["last", 5]]);
});

test("#include searches the including file's directory, then includeDirs, then libraryDirs", () => {
  const files = {
    "/proj/topol.top": '#include "ff.itp"\n#include "sub/local.itp"',
    "/proj/sub/local.itp": 'local\n#include "near.itp"',
    "/proj/sub/near.itp": "near-sub",
    "/proj/near.itp": "near-top",
    "/inc/ff.itp": "from-include-dir",
    "/lib/ff.itp": "from-library",
  };
  assert.deepEqual(texts(files, "/proj/topol.top", { includeDirs: ["/inc"], libraryDirs: ["/lib"] }), ["from-include-dir", "local", "near-sub"]);
  assert.deepEqual(texts(files, "/proj/topol.top", { libraryDirs: ["/lib"] }), ["from-library", "local", "near-sub"]);
  const withLocal = { ...files, "/proj/ff.itp": "from-own-dir" };
  assert.deepEqual(texts(withLocal, "/proj/topol.top", { includeDirs: ["/inc"], libraryDirs: ["/lib"] }), ["from-own-dir", "local", "near-sub"]);
});

test("lines remember the file and line they came from", () => {
  const out = preprocess("a.top", memoryFileSource({ "a.top": "x\n#include \"b.itp\"\ny", "b.itp": "\nb" }));
  assert.deepEqual(out.lines.map((l) => `${l.file}:${l.line}`), ["a.top:1", "b.itp:1", "b.itp:2", "a.top:3"]);
});

test("preprocessor errors name the file and line", () => {
  const err = (files: Record<string, string>, path: string, re: RegExp, options = {}) =>
    assert.throws(() => preprocess(path, memoryFileSource(files), options), re);
  err({ "p.top": "a\n#ifdef X\nb\n" }, "p.top", /^Error: p\.top:2: unterminated #ifdef/);
  err({ "p.top": "#endif" }, "p.top", /^Error: p\.top:1: #endif without #ifdef/);
  err({ "p.top": "#ifdef A\n#else\n#else\n#endif" }, "p.top", /^Error: p\.top:3: second #else/);
  err({ "p.top": "ok\n#if 1\n#endif" }, "p.top", /^Error: p\.top:2: unknown preprocessor directive #if/);
  err({ "p.top": "#define\n" }, "p.top", /^Error: p\.top:1: #define expects a name/);
  err({ "d/p.top": '\n#include "amber.ff/forcefield.itp"' }, "d/p.top",
    /^Error: d\/p\.top:2: #include "amber\.ff\/forcefield\.itp": file not found; searched d, \/i, \/lib$/, { includeDirs: ["/i"], libraryDirs: ["/lib"] });
  err({ "p.top": '#include "x.itp"' }, "p.top", /set GMXLIB/);
  err({ "p.top": "#include x.itp" }, "p.top", /^Error: p\.top:1: #include expects "file" or <file>/);
  err({ "p.top": '#include "p.top"' }, "p.top", /include cycle/);
});

test("an #include inside a false branch is not looked for", () => {
  assert.deepEqual(texts({ "p.top": '#ifdef POSRES\n#include "missing.itp"\n#endif\nkept' }, "p.top"), ["kept"]);
});

test("paths normalise", () => {
  assert.equal(normalizePath("a/./b//c/../d"), "a/b/d");
  assert.equal(normalizePath("/x/../../y"), "/y");
  assert.equal(normalizePath("../a"), "../a");
  assert.equal(joinPath("/usr/share", "top/x.itp"), "/usr/share/top/x.itp");
  assert.equal(joinPath("dir", "/abs"), "/abs");
  assert.equal(dirnameOf("x.top"), ".");
  assert.equal(dirnameOf("/x.top"), "/");
});
