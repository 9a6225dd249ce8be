// The third-party browser code a report inlines, read from the installed npm packages so the
// report works offline: uPlot (plots; MIT) and 3Dmol.js (the trajectory viewer; BSD-3-Clause).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cache = new Map<string, string>();

function packageFile(specifier: string): string {
  let text = cache.get(specifier);
  if (text === undefined) {
    let path: string;
    try {
      path = require.resolve(specifier);
    } catch {
      throw new Error(`report: cannot find ${specifier}; install the package (npm ci) to write reports`);
    }
    text = readFileSync(path, "utf8");
    cache.set(specifier, text);
  }
  return text;
}

/** uPlot's browser build (defines the global `uPlot`) and its stylesheet. */
export const uplotScript = (): string => packageFile("uplot/dist/uPlot.iife.min.js");
export const uplotStyle = (): string => packageFile("uplot/dist/uPlot.min.css");
/** 3Dmol.js's browser build (defines the global `$3Dmol`). */
export const threeDmolScript = (): string => packageFile("3dmol/build/3Dmol-min.js");

/** Make script text safe to inline in a <script> element (no early `</script>`). */
export const inlineScript = (js: string): string => js.replace(/<\/(script)/gi, "<\\/$1");
