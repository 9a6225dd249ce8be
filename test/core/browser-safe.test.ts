// The core must bundle for a browser: no module under src/core may import Node built-ins.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// This file runs from dist/test/core; the sources live at <repo>/src/core.
const here = dirname(fileURLToPath(import.meta.url));
const coreDir = resolve(here, "../../../src/core");

const NODE_ONLY = ["fs", "path", "os", "worker_threads", "child_process", "crypto", "url", "util", "module", "process", "buffer", "stream", "events", "zlib", "http", "https", "net", "perf_hooks", "readline", "v8", "vm"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Module specifiers of static imports/exports, dynamic import() and require(). */
function specifiers(src: string): string[] {
  const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\sfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1]);
  return found;
}

function isNodeOnly(spec: string): boolean {
  if (spec.startsWith("node:")) return true;
  const root = spec.split("/")[0];
  return NODE_ONLY.includes(root);
}

test("the specifier scanner recognises every import form", () => {
  const sample = [
    `import { existsSync, readFileSync } from "node:fs";`,
    `import * as path from 'path';`,
    `import type { Worker } from "worker_threads";`,
    `export { x } from "./x.js";`,
    `import "os";`,
    `const m = await import("child_process");`,
    `const fs = require("fs/promises");`,
    `// import { no } from "node:commented";`,
  ].join("\n");
  const specs = specifiers(sample);
  assert.deepEqual(specs.sort(), ["./x.js", "child_process", "fs/promises", "node:fs", "os", "path", "worker_threads"].sort());
  assert.deepEqual(specs.filter(isNodeOnly).sort(), ["child_process", "fs/promises", "node:fs", "os", "path", "worker_threads"].sort());
});

test("src/core imports no Node built-in modules (it must bundle for a browser)", () => {
  const files = sourceFiles(coreDir);
  assert.ok(files.length > 20, `expected the core sources under ${coreDir}, found ${files.length} files`);
  const offenders: string[] = [];
  for (const f of files) {
    for (const spec of specifiers(readFileSync(f, "utf8"))) {
      if (isNodeOnly(spec)) offenders.push(`${relative(coreDir, f)} imports "${spec}"`);
    }
  }
  assert.deepEqual(offenders, [], `Node-only imports in src/core:\n${offenders.join("\n")}`);
});

test("src/core does not touch Node-only globals", () => {
  const offenders: string[] = [];
  for (const f of sourceFiles(coreDir)) {
    const code = readFileSync(f, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
    for (const g of [/\bprocess\.(?:env|argv|exit|cwd|hrtime)/, /\bBuffer\.(?:from|alloc)/, /\b__dirname\b/, /\b__filename\b/]) {
      if (g.test(code)) offenders.push(`${relative(coreDir, f)} uses ${g.source}`);
    }
  }
  assert.deepEqual(offenders, [], `Node-only globals in src/core:\n${offenders.join("\n")}`);
});

// Every layer but io/ and cli/ must bundle for a browser too (design.md §1).
for (const layer of ["md", "nn", "optim", "models", "e3", "ff", "tb"]) {
  const dir = resolve(coreDir, "..", layer);
  if (!existsSync(dir)) continue;
  test(`src/${layer} imports no Node built-in modules`, () => {
    const offenders: string[] = [];
    for (const f of sourceFiles(dir)) {
      for (const spec of specifiers(readFileSync(f, "utf8"))) if (isNodeOnly(spec)) offenders.push(`${relative(dir, f)} imports "${spec}"`);
    }
    assert.deepEqual(offenders, [], `Node-only imports in src/${layer}:\n${offenders.join("\n")}`);
  });
}
