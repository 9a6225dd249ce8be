// The browser examples, bundled with esbuild and served by the `npm run serve` server, opened in
// headless Chromium: the live LJ MD advances and draws, the SchNet page evaluates a structure to
// the same energy and forces as Node does, and the library bundle works as an ES module.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { collate, readExtxyz } from "../../src/io/index.js";
import { energyAndForces } from "../../src/models/index.js";
import { bundleBrowser, packageRoot } from "../../src/cli/bundle.js";
import { startServer } from "../../src/cli/serve.js";
import { loadModelFile } from "../../src/cli/md-system.js";
import { inkFraction, launch, openPage, skipBrowser } from "./headless.js";
import type { Headless } from "./headless.js";

const pages = resolve(packageRoot(), "examples/browser");
let h: Headless | undefined;
let server: Server | undefined;
let url = "";

before(async () => {
  const bundleDir = mkdtempSync(join(tmpdir(), "diffmol-bundle-"));
  const written = await bundleBrowser(bundleDir);
  assert.equal(written.filter((f) => f.endsWith(".js")).length, 3);
  ({ server, url } = await startServer([pages, bundleDir], 0));
  if (!skipBrowser) h = await launch();
});
after(async () => {
  await h?.close();
  server?.close();
});

test("the server serves the pages and bundles, and refuses paths outside its folders", async () => {
  const index = await fetch(url);
  assert.equal(index.status, 200);
  assert.match(await index.text(), /lj\.html/);
  const js = await fetch(`${url}diffmol.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get("content-type") ?? "", /javascript/);
  assert.equal((await fetch(`${url}..%2f..%2fpackage.json`)).status, 404);
  assert.equal((await fetch(`${url}nope.html`)).status, 404);
});

test("live LJ MD: the step counter advances, energy and temperature are shown, the canvas is drawn", { skip: skipBrowser, timeout: 120_000 }, async () => {
  const { page, errors } = await openPage(h!, `${url}lj.html`);
  type Status = { step: number; energy: number; temperature: number };
  const status = () => page.evaluate(() => (window as unknown as { ljStatus: Status }).ljStatus);
  await page.waitForFunction(() => ((window as unknown as { ljStatus?: Status }).ljStatus?.step ?? 0) >= 10, null, { timeout: 60_000 });
  const first = await status();
  await page.waitForFunction((s) => (window as unknown as { ljStatus: Status }).ljStatus.step > s, first.step, { timeout: 30_000 });
  const later = await status();
  assert.ok(later.step > first.step);
  assert.ok(Number.isFinite(later.energy) && later.energy < 0, `energy per atom ${later.energy}`);
  assert.ok(later.temperature > 0.2 && later.temperature < 5, `kT ${later.temperature}`);
  assert.equal(Number(await page.locator("#step").textContent()) > 0, true);
  assert.ok(await inkFraction(page, page.locator("#view")) > 0.05);
  assert.deepEqual(errors, []);
});

test("SchNet page: a structure given to the page gets Node's energy; a malformed one an error naming the line", { skip: skipBrowser, timeout: 120_000 }, async () => {
  const { page, errors } = await openPage(h!, `${url}schnet.html`);
  type Status = { model: boolean; evaluated: number; energy?: number; error?: string };
  const status = () => page.evaluate(() => (window as unknown as { schnetStatus: Status }).schnetStatus);
  await page.waitForFunction(() => (window as unknown as { schnetStatus?: Status }).schnetStatus?.model === true, null, { timeout: 60_000 });

  const examplePath = join(pages, "cu-example.extxyz");
  await page.setInputFiles("#file", examplePath);
  await page.waitForFunction(() => (window as unknown as { schnetStatus: Status }).schnetStatus.evaluated >= 1, null, { timeout: 60_000 });
  const inBrowser = (await status()).energy!;
  const { model, spec } = loadModelFile(join(pages, "schnet-cu.safetensors"));
  const frame = readExtxyz(readFileSync(examplePath, "utf8"), "cu-example.extxyz")[0];
  const inNode = energyAndForces(model, collate([frame], { cutoff: spec.cutoff }), { stress: false }).energy.item();
  assert.ok(Math.abs(inBrowser - inNode) <= 1e-9 * Math.abs(inNode), `browser ${inBrowser} vs node ${inNode}`);
  assert.equal(await page.locator("#forces tr").count(), 33);

  const bad = join(mkdtempSync(join(tmpdir(), "diffmol-page-")), "broken.xyz");
  writeFileSync(bad, "2\ncomment\nCu 0 0 0\nCu 1 1\n");
  await page.setInputFiles("#file", bad);
  await page.waitForFunction(() => (window as unknown as { schnetStatus: Status }).schnetStatus.error !== undefined, null, { timeout: 30_000 });
  assert.match((await status()).error!, /broken\.xyz:4/);
  assert.match((await page.locator("#result").textContent()) ?? "", /^error: .*broken\.xyz:4/);
  assert.deepEqual(errors, []);
});

test("the library bundle is an ES module with the JAX-style API: grad of sin at 0.3 is cos(0.3)", { skip: skipBrowser, timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(h!, url);
  const value = await page.evaluate(async () => {
    const m = await import(`${location.origin}/diffmol.js`);
    return m.grad((x: { sin(): unknown }) => m.np.sin(x))(m.np.array(0.3)).item() as number;
  });
  assert.ok(Math.abs(value - Math.cos(0.3)) < 1e-15);
  assert.deepEqual(errors, []);
});
