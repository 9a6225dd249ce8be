// diffmol report: self-contained HTML reports (plots with uPlot, trajectories with 3Dmol.js). Node only.
export { renderReport, writeReport } from "./html.js";
export type { ReportSpec, Plot, LinePlot, ParityPlot, LineSeries } from "./spec.js";
export { xyzFrames } from "./trajectory-text.js";
