// Plain multi-frame XYZ text for the 3-D viewer (3Dmol.js reads "xyz"; the extended columns and
// comment keys of extXYZ are not needed to draw atoms).
import type { Tensor } from "../index.js";

/** Frames (each [N, 3]) as XYZ text; at most `maxFrames` evenly spaced frames are kept. */
export function xyzFrames(frames: Tensor[], symbols: string[], maxFrames = 200): { xyz: string; frames: number } {
  const stride = Math.max(1, Math.ceil(frames.length / maxFrames));
  const kept = frames.filter((_, i) => i % stride === 0);
  const parts: string[] = [];
  for (const R of kept) {
    const x = R.data() as Float64Array;
    const n = R.shape[0];
    const lines = [String(n), ""];
    for (let i = 0; i < n; i++) lines.push(`${symbols[i] ?? "X"} ${x[3 * i].toFixed(5)} ${x[3 * i + 1].toFixed(5)} ${x[3 * i + 2].toFixed(5)}`);
    parts.push(lines.join("\n"));
  }
  return { xyz: parts.join("\n") + "\n", frames: kept.length };
}
