// `npm run serve`: bundle the browser pages, then serve examples/browser/ (pages, the example
// structure, the SchNet checkpoint) and dist/browser/ (the bundles) over node:http on localhost.
import { createServer } from "node:http";
import type { Server } from "node:http";
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { extname, join, normalize, resolve, sep } from "node:path";
import { bundleBrowser, packageRoot } from "./bundle.js";

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".map": "application/json", ".css": "text/css",
  ".json": "application/json", ".xyz": "text/plain; charset=utf-8", ".extxyz": "text/plain; charset=utf-8", ".safetensors": "application/octet-stream",
};

/** Serve files from `roots` (first match wins) on 127.0.0.1:`port` (0: any free port). */
export function startServer(roots: string[], port = 8080): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    const relative = normalize(path === "/" ? "/index.html" : path).replace(/^([/\\])+/, "");
    for (const root of roots) {
      const file = resolve(root, relative);
      if (!file.startsWith(resolve(root) + sep)) continue; // no escaping the served folders
      if (existsSync(file) && statSync(file).isFile()) {
        res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
        res.end(readFileSync(file));
        return;
      }
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end(`not found: ${path}\n`);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      ok({ server, url: `http://127.0.0.1:${actual}/` });
    });
  });
}

/** Bundle, then serve the example pages; returns the server and its URL. */
export async function serveExamples(port = 8080, bundleDir = resolve(packageRoot(), "dist/browser")) {
  await bundleBrowser(bundleDir);
  return startServer([join(packageRoot(), "examples/browser"), bundleDir], port);
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const port = Number(process.env.PORT ?? process.argv[2] ?? 8080);
  serveExamples(port, process.env.DIFFMOL_BUNDLE_DIR ?? undefined).then(({ url }) => {
    process.stdout.write(`diffmol examples at ${url}  (lj.html: live LJ MD; schnet.html: SchNet on a dropped structure). Ctrl-C stops.\n`);
  }, (e: unknown) => {
    process.stderr.write(`serve: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
