// What a report holds, independent of how it is drawn: a title, a summary table, plots (line plots
// over a shared x, parity plots of predicted against reference values) and optionally a trajectory
// for the 3-D viewer. Commands build a ReportSpec from their results; html.ts renders it.

export interface LineSeries {
  label: string;
  y: number[];
}

/** y(x) curves sharing one x axis (energies vs time, loss vs epoch, g(r), bands vs path length). */
export interface LinePlot {
  kind: "line";
  title: string;
  xLabel: string;
  yLabel: string;
  x: number[];
  series: LineSeries[];
  /** Log-scale y axis (losses). */
  logY?: boolean;
  /** Vertical marks with labels on the x axis (high-symmetry points of a band path). */
  marks?: { x: number; label: string }[];
}

/** Predicted against reference values, with the y = x line. */
export interface ParityPlot {
  kind: "parity";
  title: string;
  xLabel: string;
  yLabel: string;
  reference: number[];
  predicted: number[];
}

export type Plot = LinePlot | ParityPlot;

export interface ReportSpec {
  title: string;
  /** One line under the title (the command that made it). */
  subtitle?: string;
  /** Key figures, shown as a table. */
  summary: [string, string | number][];
  plots: Plot[];
  /** Frames for the 3-D viewer, as plain multi-frame XYZ text. */
  trajectory?: { xyz: string; frames: number; caption?: string };
}
