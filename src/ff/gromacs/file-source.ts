// Where the GROMACS readers get file text from. The readers never touch a disk themselves (this
// module runs in a browser too): a FileSource answers "what is in this path" and "is there a
// file at this path". src/io/gromacs-files.ts gives the Node one that reads real files;
// `memoryFileSource` serves a map of path → text (tests, files dropped into a web page).
// Paths are POSIX-style strings ('/' separators).

export interface FileSource {
  /** The file's text; may throw if it does not exist. */
  read(path: string): string;
  /** Whether a file exists at the path. */
  exists(path: string): boolean;
}

/** A FileSource over an in-memory map of normalised paths to text. */
export function memoryFileSource(files: Record<string, string>): FileSource {
  const table = new Map<string, string>();
  for (const [path, text] of Object.entries(files)) table.set(normalizePath(path), text);
  return {
    read(path) {
      const text = table.get(normalizePath(path));
      if (text === undefined) throw new Error(`${path}: no such file`);
      return text;
    },
    exists: (path) => table.has(normalizePath(path)),
  };
}

/** The directory part of a path ("." for a bare file name). */
export function dirnameOf(path: string): string {
  const i = path.lastIndexOf("/");
  if (i < 0) return ".";
  if (i === 0) return "/";
  return path.slice(0, i);
}

/** The last component of a path. */
export function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Join a directory and a relative path; an absolute `rel` is returned as is. */
export function joinPath(dir: string, rel: string): string {
  if (rel.startsWith("/")) return normalizePath(rel);
  if (dir === "" || dir === ".") return normalizePath(rel);
  return normalizePath(`${dir}/${rel}`);
}

/** Collapse "//", "/./" and "dir/../" so the same file always has the same key. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (part === ".." && absolute) continue;
    else out.push(part);
  }
  const joined = out.join("/");
  return absolute ? `/${joined}` : joined === "" ? "." : joined;
}
