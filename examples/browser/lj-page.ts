// Live Lennard-Jones MD in the browser: 256 atoms of an fcc crystal melting under a Langevin
// thermostat (reduced units), forces by automatic differentiation, each time step jitted. The
// atoms are drawn on a 2-D canvas (projected along z, depth-shaded), with step, potential
// energy and temperature read out. window.ljStatus exposes the step count for tests.
import { jit, np, random, Tensor } from "../../src/index.js";
import { energy, partition, quantity, simulate, space } from "../../src/md/index.js";

declare global { interface Window { ljStatus: { step: number; energy: number; temperature: number; running: boolean } } }

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = el<HTMLCanvasElement>("view");
const ctx = canvas.getContext("2d")!;

const cells = 4, density = 0.8442, n = 4 * cells ** 3, L = Math.cbrt(n / density);
function fcc(): Tensor {
  const a = L / cells, basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const rows: number[][] = [];
  for (let x = 0; x < cells; x++) for (let y = 0; y < cells; y++) for (let z = 0; z < cells; z++) for (const b of basis) rows.push([(x + b[0] + 0.25) * a, (y + b[1] + 0.25) * a, (z + b[2] + 0.25) * a]);
  return np.array(rows);
}

const [displacement, shift] = space.periodic(L);
const neighborFn = partition.neighborList(displacement, L, { cutoff: 2.5, skin: 0.3 });
const ljEnergy = energy.lennardJonesNeighborList(displacement, { sigma: 1, epsilon: 1, cutoff: 2.5 });
let kT = Number(el<HTMLInputElement>("kT").value);
let sim = simulate.nvtLangevin(ljEnergy, shift, { dt: 0.005, kT, gamma: 1 });
let step = jit(sim.step);
let nbrs = neighborFn.allocate(fcc());
let state = sim.init(random.key(0), fcc(), { args: { neighbor: nbrs } });
let steps = 0;
window.ljStatus = { step: 0, energy: state.energy.item() / n, temperature: quantity.temperature(state).item(), running: true };

el<HTMLInputElement>("kT").addEventListener("change", (ev) => {
  kT = Number((ev.target as HTMLInputElement).value);
  sim = simulate.nvtLangevin(ljEnergy, shift, { dt: 0.005, kT, gamma: 1 });
  step = jit(sim.step);
  el("kT-label").textContent = kT.toFixed(2);
});
el<HTMLButtonElement>("toggle").addEventListener("click", () => { window.ljStatus.running = !window.ljStatus.running; });

function draw(R: Float64Array) {
  const w = canvas.width, h = canvas.height, s = Math.min(w, h) / L;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, w, h);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => R[3 * a + 2] - R[3 * b + 2]);
  for (const i of order) {
    const z = R[3 * i + 2] / L;
    ctx.fillStyle = `hsl(210, 70%, ${25 + 45 * z}%)`;
    ctx.beginPath();
    ctx.arc(R[3 * i] * s, R[3 * i + 1] * s, 0.3 * s * (0.8 + 0.4 * z), 0, 2 * Math.PI);
    ctx.fill();
  }
}

function frame() {
  if (window.ljStatus.running) {
    for (let k = 0; k < 5; k++) {
      nbrs = neighborFn.update(state.position, nbrs);
      state = step(state, { neighbor: nbrs });
      steps++;
    }
    const e = state.energy.item() / n, t = quantity.temperature(state).item();
    window.ljStatus = { ...window.ljStatus, step: steps, energy: e, temperature: t };
    el("step").textContent = String(steps);
    el("energy").textContent = e.toFixed(4);
    el("temperature").textContent = t.toFixed(4);
  }
  draw(state.position.data() as Float64Array);
  requestAnimationFrame(frame);
}
el("atoms").textContent = String(n);
requestAnimationFrame(frame);
