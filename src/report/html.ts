// Renders a ReportSpec as ONE self-contained HTML file (no network: uPlot and 3Dmol.js are
// inlined, the data is embedded as JSON), and writes it atomically.
import { writeTextAtomic } from "../io/index.js";
import { inlineScript, threeDmolScript, uplotScript, uplotStyle } from "./assets.js";
import { clientScript } from "./client.js";
import type { ReportSpec } from "./spec.js";

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
/** JSON that is safe inside a <script> element. */
const embedJson = (v: unknown) => JSON.stringify(v).replace(/</g, "\\u003c");

/** Non-finite numbers cannot go through JSON; plots show them as gaps (null). */
function finiteOrNull(spec: ReportSpec): ReportSpec {
  return JSON.parse(JSON.stringify(spec, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v))) as ReportSpec;
}

export function renderReport(spec: ReportSpec): string {
  const rows = spec.summary.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(typeof v === "number" ? formatNumber(v) : v)}</td></tr>`).join("\n");
  const viewer = spec.trajectory
    ? `<section class="card wide"><h2>Trajectory</h2>${spec.trajectory.caption ? `<p>${escapeHtml(spec.trajectory.caption)}</p>` : ""}
<div id="viewer"></div>
<div class="controls"><button id="play" type="button">play / pause</button> <input id="frame" type="range" min="0" max="0" value="0"> <span id="frame-label"></span></div></section>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(spec.title)}</title>
<style>${uplotStyle()}
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; background: #fafafa; }
h1 { margin: 0 0 4px; font-size: 22px; } .sub { color: #666; margin: 0 0 16px; font-family: monospace; }
table.summary { border-collapse: collapse; margin-bottom: 16px; background: #fff; }
table.summary th, table.summary td { border: 1px solid #ddd; padding: 4px 10px; text-align: left; font-size: 14px; }
table.summary th { background: #f0f0f0; font-weight: 600; }
#plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 16px; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px; }
.card h2 { font-size: 15px; margin: 0 0 8px; } .wide { margin-top: 16px; }
#viewer { width: 100%; height: 420px; position: relative; }
.controls { margin-top: 8px; } .controls input { width: 60%; vertical-align: middle; }
</style>
<script>${inlineScript(uplotScript())}</script>
${spec.trajectory ? `<script>${inlineScript(threeDmolScript())}</script>` : ""}
</head><body>
<h1>${escapeHtml(spec.title)}</h1>
${spec.subtitle ? `<p class="sub">${escapeHtml(spec.subtitle)}</p>` : ""}
<table class="summary">${rows}</table>
<div id="plots"></div>
${viewer}
<script type="application/json" id="report-data">${embedJson(finiteOrNull(spec))}</script>
<script>${inlineScript(clientScript)}</script>
</body></html>
`;
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(4) : v.toPrecision(6);
}

/** Render and write atomically (temporary name, then rename). */
export function writeReport(path: string, spec: ReportSpec): void {
  writeTextAtomic(path, renderReport(spec));
}
