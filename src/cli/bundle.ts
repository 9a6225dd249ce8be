// The browser bundle: esbuild turns the library (examples/browser/lib.ts → diffmol.js) and the
// example pages' scripts (lj-page.ts, schnet-page.ts) into ES modules in dist/browser/. esbuild is
// a development dependency, loaded only when a bundle is made (npm run serve, the browser tests).
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: the nearest folder above this file with examples/browser/lib.ts, else the working directory. */
export function packageRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, "examples/browser/lib.ts"))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export const browserEntries = { diffmol: "examples/browser/lib.ts", "lj-page": "examples/browser/lj-page.ts", "schnet-page": "examples/browser/schnet-page.ts" };

/** Bundle the browser entries into `outDir` (default dist/browser); returns the files written. */
export async function bundleBrowser(outDir = resolve(packageRoot(), "dist/browser")): Promise<string[]> {
  const root = packageRoot();
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch {
    throw new Error("bundling the browser pages needs esbuild (a development dependency: npm ci)");
  }
  const entryPoints = Object.fromEntries(Object.entries(browserEntries).map(([name, path]) => [name, resolve(root, path)]));
  const result = await esbuild.build({
    entryPoints, outdir: outDir, bundle: true, format: "esm", platform: "browser", target: "es2022",
    minify: true, sourcemap: true, metafile: true, logLevel: "silent",
  });
  return Object.keys(result.metafile.outputs);
}
