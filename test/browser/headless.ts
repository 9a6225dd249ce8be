// Headless Chromium for the report and browser-page tests: Debian's /usr/bin/chromium driven by
// playwright-core, a fresh profile per launch, every console error and page error collected.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { BrowserContext, Page, Locator } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** Why the browser tests are skipped (chromium missing), or false. CI installs it (.ci/run). */
export const skipBrowser: string | false = existsSync(chromiumPath) ? false : `${chromiumPath} is not installed (apt-get install chromium)`;

export interface Headless { context: BrowserContext; close(): Promise<void> }

/** Chromium with a fresh profile directory (playwright passes it as --user-data-dir), removed on close. */
export async function launch(): Promise<Headless> {
  const profile = mkdtempSync(join(tmpdir(), "diffmol-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath, headless: true, viewport: { width: 1200, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

/** A new page whose console errors and uncaught exceptions land in `errors`. */
export async function openPage(h: Headless, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await h.context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()}`));
  await page.goto(url, { timeout: 90_000 });
  return { page, errors };
}

/**
 * Fraction of an element's screenshot pixels that differ from its most common colour (the
 * background): the screenshot is decoded in the page itself (an <img> drawn on a 2-D canvas).
 */
export async function inkFraction(page: Page, target: Locator): Promise<number> {
  const png = (await target.screenshot()).toString("base64");
  return page.evaluate(async (b64: string) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width; c.height = img.height;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const counts = new Map<number, number>();
    for (let k = 0; k < d.length; k += 4) { const key = (d[k] << 16) | (d[k + 1] << 8) | d[k + 2]; counts.set(key, (counts.get(key) ?? 0) + 1); }
    const background = Math.max(...counts.values());
    return 1 - background / (d.length / 4);
  }, png);
}
