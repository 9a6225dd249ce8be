// The C-preprocessor subset GROMACS topologies use (what grompp's own cpp understands):
// #include "file" / <file>, #define NAME [value], #undef, #ifdef, #ifndef, #else, #endif.
// Defined names are replaced as whole words in ordinary lines (that is how force fields write
// `torsion_ILE_N_CA_CB_CG2_mult1` or `gb_12` in place of numbers). Lines ending in a backslash
// are joined with the next. The output keeps, for every logical line, the file and line number it
// came from, so every later error can name them.
//
// Include search order (as grompp): the directory of the including file, then each `includeDirs`
// entry (grompp's -I / mdp `include`), then each `libraryDirs` entry (GMXLIB, or the GROMACS
// installation's share/gromacs/top, where force fields like amber99sb-ildn.ff live).

import { FileSource, dirnameOf, joinPath } from "./file-source.js";

export interface PreprocessOptions {
  /** Names defined before reading, e.g. { POSRES: "", FLEXIBLE: "" } (mdp `define = -DPOSRES`). */
  defines?: Record<string, string>;
  /** Extra include directories searched after the including file's own directory. */
  includeDirs?: string[];
  /** Force-field library directories (GMXLIB), searched last. */
  libraryDirs?: string[];
}

/** One logical line after preprocessing, with where it came from (line numbers are 1-based). */
export interface SourceLine {
  text: string;
  file: string;
  line: number;
}

/** The result: the lines to parse and the defines still in force at the end. */
export interface Preprocessed {
  lines: SourceLine[];
  defines: Record<string, string>;
}

interface Conditional {
  /** Whether lines in the current branch are kept (also false when an enclosing branch is off). */
  active: boolean;
  /** Whether the enclosing context was active (an #else can only turn on inside an active one). */
  parentActive: boolean;
  sawElse: boolean;
  line: number;
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
const MAX_INCLUDE_DEPTH = 64;

/** Run the preprocessor over `path` read from `source`. */
export function preprocess(path: string, source: FileSource, options: PreprocessOptions = {}): Preprocessed {
  const defines = new Map<string, string>(Object.entries(options.defines ?? {}));
  const lines: SourceLine[] = [];
  const includeDirs = options.includeDirs ?? [];
  const libraryDirs = options.libraryDirs ?? [];

  const resolveInclude = (name: string, from: string, where: string): string => {
    if (name.startsWith("/")) {
      if (source.exists(name)) return name;
      throw new Error(`${where}: #include "${name}": file not found`);
    }
    const searched = [dirnameOf(from), ...includeDirs, ...libraryDirs];
    for (const dir of searched) {
      const candidate = joinPath(dir, name);
      if (source.exists(candidate)) return candidate;
    }
    const hint = libraryDirs.length === 0 ? " (no force-field directory given: set GMXLIB or pass libraryDirs)" : "";
    throw new Error(`${where}: #include "${name}": file not found; searched ${searched.join(", ")}${hint}`);
  };

  const substitute = (text: string): string => {
    if (defines.size === 0) return text;
    return text.replace(IDENTIFIER, (word) => defines.get(word) ?? word);
  };

  const processFile = (file: string, depth: number, includedFrom: string): void => {
    if (depth > MAX_INCLUDE_DEPTH) throw new Error(`${includedFrom}: #include nested more than ${MAX_INCLUDE_DEPTH} deep (an include cycle?)`);
    let text: string;
    try {
      text = source.read(file);
    } catch (e) {
      throw new Error(`${includedFrom || file}: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const physical = text.split(/\r?\n/);
    const stack: Conditional[] = [];
    const active = () => stack.length === 0 || stack[stack.length - 1].active;
    for (let i = 0; i < physical.length; i++) {
      const lineNo = i + 1;
      let raw = physical[i];
      // Join continuation lines: a trailing backslash (before any comment) continues the line.
      while (stripComment(raw).trimEnd().endsWith("\\") && i + 1 < physical.length) {
        raw = stripComment(raw).trimEnd().slice(0, -1) + " " + physical[++i];
      }
      const where = `${file}:${lineNo}`;
      const trimmed = raw.trimStart();
      if (trimmed.startsWith("#")) {
        const body = stripComment(trimmed.slice(1)).trim();
        const directive = body.split(/\s+/, 1)[0];
        const rest = body.slice(directive.length).trim();
        switch (directive) {
          case "ifdef":
          case "ifndef": {
            const name = requireName(rest, directive, where);
            const parentActive = active();
            const holds = directive === "ifdef" ? defines.has(name) : !defines.has(name);
            stack.push({ active: parentActive && holds, parentActive, sawElse: false, line: lineNo });
            break;
          }
          case "else": {
            const top = stack[stack.length - 1];
            if (top === undefined) throw new Error(`${where}: #else without #ifdef/#ifndef`);
            if (top.sawElse) throw new Error(`${where}: second #else for the #ifdef at line ${top.line}`);
            top.sawElse = true;
            top.active = top.parentActive && !top.active;
            break;
          }
          case "endif":
            if (stack.pop() === undefined) throw new Error(`${where}: #endif without #ifdef/#ifndef`);
            break;
          case "define":
            if (active()) {
              const name = requireName(rest, directive, where);
              defines.set(name, rest.slice(name.length).trim());
            }
            break;
          case "undef":
            if (active()) defines.delete(requireName(rest, directive, where));
            break;
          case "include":
            if (active()) {
              const m = /^(?:"([^"]+)"|<([^>]+)>)/.exec(rest);
              if (m === null) throw new Error(`${where}: #include expects "file" or <file>, found ${JSON.stringify(rest)}`);
              const name = m[1] ?? m[2];
              processFile(resolveInclude(name, file, where), depth + 1, where);
            }
            break;
          default:
            if (active()) throw new Error(`${where}: unknown preprocessor directive #${directive} (GROMACS knows #include, #define, #undef, #ifdef, #ifndef, #else, #endif)`);
        }
        continue;
      }
      if (!active()) continue;
      lines.push({ text: substitute(raw), file, line: lineNo });
    }
    if (stack.length > 0) {
      const open = stack[stack.length - 1];
      throw new Error(`${file}:${open.line}: unterminated #ifdef/#ifndef (no #endif before the end of the file)`);
    }
  };

  processFile(path, 0, "");
  return { lines, defines: Object.fromEntries(defines) };
}

/** Drop a `;` comment. */
export function stripComment(text: string): string {
  const i = text.indexOf(";");
  return i < 0 ? text : text.slice(0, i);
}

function requireName(rest: string, directive: string, where: string): string {
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
  if (m === null) throw new Error(`${where}: #${directive} expects a name, found ${JSON.stringify(rest)}`);
  return m[0];
}
