// Files that are never half-written (design §7): the text goes to a temporary name in the same
// directory, is flushed to disk (fsync), and is renamed over the final name. A rename within one
// directory is atomic on POSIX file systems, so a reader — or a run restarted after a crash —
// sees either the old file, or no file, or the complete new one.
//
// Node only (this is diffmol/io; the md layer formats text without touching the file system).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

/** fsync a directory so a rename in it survives a power loss (best effort: not every platform can open a directory). */
export function syncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Windows and some file systems refuse to open or fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** A fresh temporary name beside `path`: `.<name>.<pid>.<random>.tmp` in the same directory. */
export function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/** Write all of `data` to an open file descriptor (writeSync may write less than asked). */
export function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Write `text` (a string, written as UTF-8, or bytes) to `path` atomically: to a temporary name
 * in the same directory, fsync, rename over `path`, fsync the directory. An existing file at
 * `path` is replaced only once the new content is complete; on any failure the temporary file is
 * removed and `path` is left as it was.
 */
export function writeTextAtomic(path: string, text: string | Uint8Array): void {
  if (typeof text !== "string" && !(text instanceof Uint8Array)) {
    throw new TypeError(`writeTextAtomic: ${path}: text must be a string or a Uint8Array, got ${text === null ? "null" : typeof text}`);
  }
  const temporary = temporaryNameFor(path);
  let fd: number | null = null;
  try {
    fd = openSync(temporary, "wx", 0o666);
    writeAll(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temporary, path);
  } catch (e) {
    if (fd !== null) { try { closeSync(fd); } catch { /* already failing */ } }
    rmSync(temporary, { force: true });
    throw new Error(`writeTextAtomic: could not write ${path}: ${reason(e)} (the previous file, if any, is unchanged)`, { cause: e });
  }
  syncDirectory(dirname(path));
}

/**
 * A file written by appending to `<path>.partial` and renamed to `path` by `close()`: until then
 * no file exists under the final name, and after a crash the `.partial` file holds everything
 * appended so far: whole records, since each record is formatted completely and then written in
 * one call (only a process killed inside that call, or a power loss before sync(), can cut the
 * last record short — a reader then reports the truncated frame by line).
 */
export class AppendThenRename {
  readonly path: string;
  readonly partialPath: string;
  private fd: number | null;
  private state: "open" | "closed" | "aborted" = "open";

  constructor(path: string, readonly where: string) {
    if (typeof path !== "string" || path === "") throw new Error(`${where}: path must be a non-empty string`);
    this.path = path;
    this.partialPath = `${path}.partial`;
    try {
      this.fd = openSync(this.partialPath, "w", 0o666);
    } catch (e) {
      throw new Error(`${where}: cannot open ${this.partialPath} for writing: ${reason(e)}`, { cause: e });
    }
  }

  get closed(): boolean {
    return this.state !== "open";
  }

  append(text: string): void {
    if (this.fd === null) throw new Error(`${this.where}: ${this.path} is already ${this.state}; open a new writer to write more`);
    try {
      writeAll(this.fd, text);
    } catch (e) {
      throw new Error(`${this.where}: writing ${this.partialPath} failed: ${reason(e)}`, { cause: e });
    }
  }

  /** Flush what was appended so far to disk (so the `.partial` file survives a power loss, not only a crash). */
  sync(): void {
    if (this.fd !== null) fsyncSync(this.fd);
  }

  /** fsync, close, and rename `<path>.partial` to `path`. Closing twice is a no-op. */
  close(): void {
    if (this.fd === null) {
      if (this.state === "aborted") throw new Error(`${this.where}: ${this.path} was aborted; nothing to close`);
      return;
    }
    const fd = this.fd;
    this.fd = null;
    this.state = "closed";
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(this.partialPath, this.path);
    } catch (e) {
      throw new Error(`${this.where}: could not rename ${this.partialPath} to ${this.path}: ${reason(e)} (the frames written are in ${this.partialPath})`, { cause: e });
    }
    syncDirectory(dirname(this.path));
  }

  /**
   * Stop without creating `path`: close and delete `<path>.partial`, or with `keepPartial` leave
   * it on disk (what a run that failed should keep: every record written before the failure).
   * A no-op after close().
   */
  abort(opts: { keepPartial?: boolean } = {}): void {
    if (this.state !== "open") return;
    if (this.fd !== null) {
      const fd = this.fd;
      this.fd = null;
      try {
        if (opts.keepPartial) fsyncSync(fd);
      } catch { /* keep what the OS has */ } finally {
        try { closeSync(fd); } catch { /* closing on the way out */ }
      }
    }
    if (!opts.keepPartial) rmSync(this.partialPath, { force: true });
    this.state = "aborted";
  }
}
