// Trajectory and log files for MD runs: frames and log lines are formatted by diffmol/md's
// trajectory module (extended XYZ, CSV) and appended to `<path>.partial`; `close()` renames the
// file to its final name. A run that crashes or blows up leaves no file under the final name,
// and the `.partial` file holds every complete frame written before the crash (readable with
// readExtxyz) — the last good frame is never lost. Units: whatever the positions are in (the
// examples use reduced LJ units; ASE reads the positions as Å).
import type { Tensor } from "../index.js";
import { trajectory } from "../md/index.js";
import type { XyzFrameOptions } from "../md/trajectory.js";
import { AppendThenRename } from "./atomic.js";

/** The trajectory formats openTrajectory can write. */
export type TrajectoryFormat = "extxyz";

export interface TrajectoryOptions {
  /** File format; default "extxyz" (extended XYZ, readable by ASE's `ase.io.read(path, index=":")`). */
  format?: TrajectoryFormat;
  /** Species of every frame (one name for all, or one per atom) unless a frame gives its own. */
  species?: string | string[];
  /** Box of every frame (side lengths, or a [3, 3] cell with lattice vectors as columns) unless a frame gives its own. */
  box?: XyzFrameOptions["box"];
  /** Periodicity of every frame unless a frame gives its own; default true when a box is given. */
  pbc?: boolean | boolean[];
}

/** Appends extended-XYZ frames to `<path>.partial`; `close()` renames it to `path`. */
export class TrajectoryWriter {
  readonly format: TrajectoryFormat;
  /** Number of frames written. */
  frames = 0;
  private readonly file: AppendThenRename;
  private readonly defaults: XyzFrameOptions;

  constructor(path: string, options: TrajectoryOptions = {}) {
    const format = options.format ?? "extxyz";
    if (format !== "extxyz") throw new Error(`openTrajectory: ${path}: format ${JSON.stringify(format)} is not supported (supported: "extxyz")`);
    this.format = format;
    this.defaults = { species: options.species, box: options.box, pbc: options.pbc };
    this.file = new AppendThenRename(path, "TrajectoryWriter");
  }

  /** The final name (exists only after close()). */
  get path(): string { return this.file.path; }
  /** Where frames go until close(): `<path>.partial`. */
  get partialPath(): string { return this.file.partialPath; }
  get closed(): boolean { return this.file.closed; }

  /**
   * Append one frame: positions [N, d] (d ≤ 3) plus optional species, box, pbc, velocity, force
   * and per-frame info (step, time, energy, …). The frame is formatted completely before
   * anything is written, so a bad argument never leaves half a frame in the file.
   */
  write(positions: Tensor, frame: XyzFrameOptions = {}): void {
    const opts: XyzFrameOptions = { ...this.defaults };
    for (const [k, v] of Object.entries(frame)) if (v !== undefined) (opts as Record<string, unknown>)[k] = v;
    this.file.append(trajectory.xyzFrame(positions, opts));
    this.frames++;
  }

  /** fsync the frames written so far (they then survive a power loss too, not only a crash). */
  sync(): void { this.file.sync(); }
  /** Flush, close and rename `<path>.partial` to `path`. A second close is a no-op. */
  close(): void { this.file.close(); }
  /** Stop without creating `path`: delete `<path>.partial`, or keep it with `keepPartial` (after a failed run). */
  abort(opts: { keepPartial?: boolean } = {}): void { this.file.abort(opts); }
}

/** Open an extended-XYZ trajectory for writing (see TrajectoryWriter). */
export function openTrajectory(path: string, options: TrajectoryOptions = {}): TrajectoryWriter {
  return new TrajectoryWriter(path, options);
}

export interface CsvLogOptions {
  /** Column names; default trajectory.defaultLogColumns (step, time, potentialEnergy, kineticEnergy, totalEnergy, temperature, pressure). */
  columns?: string[];
}

/** A CSV log (header line, then one line per record) appended to `<path>.partial` and renamed to `path` by close(). */
export class CsvLogWriter {
  readonly columns: string[];
  /** Number of records written (not counting the header). */
  lines = 0;
  private readonly file: AppendThenRename;
  private readonly log: trajectory.CsvLog;

  constructor(path: string, options: CsvLogOptions = {}) {
    // Validate the columns before creating any file.
    const probe = trajectory.csvLog(options.columns ?? trajectory.defaultLogColumns);
    this.columns = probe.columns;
    this.file = new AppendThenRename(path, "CsvLogWriter");
    this.log = trajectory.csvLog(this.columns, (text) => this.file.append(text));
    this.log.header();
  }

  get path(): string { return this.file.path; }
  get partialPath(): string { return this.file.partialPath; }
  get closed(): boolean { return this.file.closed; }

  /** Append one record; missing columns are left empty, unknown ones are an error (nothing is written then). */
  write(record: Record<string, number | Tensor>): void {
    this.log.line(record);
    this.lines++;
  }

  /** fsync the lines written so far. */
  sync(): void { this.file.sync(); }
  /** Flush, close and rename `<path>.partial` to `path`. A second close is a no-op. */
  close(): void { this.file.close(); }
  /** Stop without creating `path`: delete `<path>.partial`, or keep it with `keepPartial`. */
  abort(opts: { keepPartial?: boolean } = {}): void { this.file.abort(opts); }
}

/** Open a CSV log for writing; the header line is written at once. */
export function openCsvLog(path: string, options: CsvLogOptions = {}): CsvLogWriter {
  return new CsvLogWriter(path, options);
}
