// report.html: one self-contained file (no network), rendered in headless Chromium with uPlot
// plots and the 3Dmol.js viewer drawing something, and no console errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { np } from "../../src/index.js";
import { renderReport, writeReport, xyzFrames } from "../../src/report/index.js";
import type { ReportSpec } from "../../src/report/index.js";
import { inkFraction, launch, openPage, skipBrowser } from "../browser/headless.js";
import type { Headless } from "../browser/headless.js";

function spec(): ReportSpec {
  const t = Array.from({ length: 50 }, (_, i) => i * 0.1);
  const frames = Array.from({ length: 5 }, (_, k) => np.array([[0, 0, 0], [1.1 + 0.05 * k, 0, 0], [0, 1.1, 0], [0, 0, 1.1]]));
  return {
    title: "test report", subtitle: "diffmol test </script><b>not bold</b>",
    summary: [["atoms", 4], ["drift", 1.5e-7], ["label", "<tag> & \"quotes\""]],
    plots: [
      { kind: "line", title: "Energy", xLabel: "t", yLabel: "E", x: t, series: [{ label: "E", y: t.map(Math.sin) }, { label: "K", y: t.map(Math.cos) }] },
      { kind: "line", title: "Loss", xLabel: "epoch", yLabel: "loss", x: [1, 2, 3, 4], logY: true, series: [{ label: "train", y: [1, 0.3, 0.1, Number.NaN] }] },
      { kind: "line", title: "Bands", xLabel: "q", yLabel: "ω", x: t, series: [{ label: "b1", y: t.map((x) => Math.abs(Math.sin(x))) }], marks: [{ x: 0, label: "Γ" }, { x: 2.5, label: "X" }] },
      { kind: "parity", title: "Forces", xLabel: "reference", yLabel: "predicted", reference: [0.3, -1, 2, 0.5], predicted: [0.31, -0.9, 2.1, 0.45] },
    ],
    trajectory: { ...xyzFrames(frames, ["Cu", "Cu", "Cu", "Cu"]), caption: "5 frames" },
  };
}

test("the report is one offline file: scripts inlined, nothing fetched, text escaped", () => {
  const html = renderReport(spec());
  assert.ok(!/\b(src|href)\s*=\s*["']?(https?:)?\/\//i.test(html), "no external src/href");
  assert.ok(html.includes("uPlot"), "uPlot inlined");
  assert.ok(html.includes("$3Dmol"), "3Dmol.js inlined");
  assert.ok(!html.includes("<b>not bold</b>"), "the subtitle is escaped");
  assert.ok(html.includes("&lt;tag&gt; &amp; &quot;quotes&quot;"));
  const data = html.slice(html.indexOf('id="report-data">'));
  assert.ok(!data.slice(0, data.indexOf("</script>")).includes("<"), "the embedded JSON has no raw <");
});

test("writeReport writes atomically: the final file only, no temporary left", () => {
  const dir = mkdtempSync(join(tmpdir(), "diffmol-report-"));
  writeReport(join(dir, "report.html"), spec());
  assert.deepEqual(readdirSync(dir), ["report.html"]);
  assert.ok(readFileSync(join(dir, "report.html"), "utf8").startsWith("<!doctype html>"));
});

let h: Headless | undefined;
before(async () => { if (!skipBrowser) h = await launch(); });
after(async () => { await h?.close(); });

test("in Chromium: four plots and the 3-D viewer render, without console errors", { skip: skipBrowser, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "diffmol-report-"));
  const path = join(dir, "report.html");
  writeReport(path, spec());
  const { page, errors } = await openPage(h!, pathToFileURL(path).href);
  await page.waitForFunction(() => (window as unknown as { reportStatus?: { done?: boolean } }).reportStatus?.done === true, null, { timeout: 60_000 });
  const status = await page.evaluate(() => (window as unknown as { reportStatus: { plots: number; viewer: boolean | string } }).reportStatus);
  assert.equal(status.plots, 4);
  assert.equal(status.viewer, true);
  assert.equal(await page.locator(".uplot").count(), 4);
  for (const plot of await page.locator(".uplot canvas").all()) {
    const ink = await inkFraction(page, plot);
    assert.ok(ink > 0.01, `a plot canvas is blank (ink ${ink})`);
  }
  await page.waitForTimeout(300);
  const viewerInk = await inkFraction(page, page.locator("#viewer"));
  assert.ok(viewerInk > 0.005, `the 3-D viewer is blank (ink ${viewerInk})`);
  assert.deepEqual(errors, []);
});
