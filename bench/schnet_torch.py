#!/usr/bin/python3
"""The PyTorch half of bench/schnet.ts (issue 5): the same SchNet in PyTorch, on the same batch
and with diffmol's weights, timed for energy + forces and for one training step (energy + force
loss, Adam), float32 and float64, on 1 and 2 threads.

    /usr/bin/python3 bench/schnet_torch.py input.json output.json

input.json is written by bench/schnet.ts: the config, the batch (concatenated atoms, directed
edges senders → receivers within the cutoff), diffmol's parameters by tree path (Linear weights
are [in, out]: y = x W + b), diffmol's reference results per dtype, and the timing settings.
output.json: this model's results (energies, forces, loss, parameter gradients, per dtype, for
bench/schnet.ts to check) and the timings, ms median/min per thread count and case.

The model is schnetpack 2's SchNet layout written out with plain torch ops (no schnetpack):
  x = Embedding(Z); per interaction: W = Dense(ssp(Dense(gauss(r)))) * fcut(r),
  m = index_add over receivers of (x W_in2f)[senders] * W, x = x + Dense(ssp(Dense(m)));
  y = Dense(ssp(Dense(x))) (F -> F/2 -> 1); E = index_add over graphs of y; F = -dE/dR.
ssp(x) = softplus(x) - ln 2. Forces by torch.autograd.grad (create_graph=True in the training
step, so that backward() differentiates the forces). Only torch and the standard library.
"""
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as Fn

LN2 = math.log(2.0)


def ssp(x):
    return Fn.softplus(x) - LN2


class Dense(torch.nn.Module):
    """y = x W + b with W [in, out] (diffmol's layout; torch.nn.Linear stores W transposed)."""

    def __init__(self, w, b):
        super().__init__()
        self.weight = torch.nn.Parameter(w.clone())
        self.bias = None if b is None else torch.nn.Parameter(b.clone())

    def forward(self, x):
        return x @ self.weight if self.bias is None else torch.addmm(self.bias, x, self.weight)


class MLP2(torch.nn.Module):
    """Dense -> ssp -> Dense."""

    def __init__(self, p, prefix):
        super().__init__()
        self.l0 = Dense(p[f"{prefix}.layers[0].weight"], p[f"{prefix}.layers[0].bias"])
        self.l1 = Dense(p[f"{prefix}.layers[1].weight"], p[f"{prefix}.layers[1].bias"])

    def forward(self, x):
        return self.l1(ssp(self.l0(x)))


class Interaction(torch.nn.Module):
    def __init__(self, p, i):
        super().__init__()
        pre = f"interactions[{i}]"
        self.in2f = Dense(p[f"{pre}.in2f.weight"], None)
        self.filter = MLP2(p, f"{pre}.filter")
        self.f2out = MLP2(p, f"{pre}.f2out")

    def forward(self, x, rbf, fcut, senders, receivers):
        w = self.filter(rbf) * fcut
        xj = self.in2f(x).index_select(0, senders)
        m = torch.zeros_like(x).index_add_(0, receivers, xj * w)
        return x + self.f2out(m)


class SchNet(torch.nn.Module):
    def __init__(self, p, cfg):
        super().__init__()
        self.cutoff = cfg["cutoff"]
        self.n_gaussians = cfg["nGaussians"]
        self.embedding = torch.nn.Parameter(p["embedding.weight"].clone())
        self.interactions = torch.nn.ModuleList(Interaction(p, i) for i in range(cfg["nInteractions"]))
        self.output = MLP2(p, "output")
        dtype = p["embedding.weight"].dtype
        self.register_buffer("centres", torch.linspace(0.0, self.cutoff, self.n_gaussians, dtype=torch.float64).to(dtype))
        width = self.cutoff / (self.n_gaussians - 1)
        self.coeff = -0.5 / (width * width)

    def forward(self, R, species, senders, receivers, graph_index, n_graphs):
        rij = R.index_select(0, receivers) - R.index_select(0, senders)
        r = torch.sqrt((rij * rij).sum(-1))
        d = r.unsqueeze(-1) - self.centres
        rbf = torch.exp(self.coeff * d * d)
        fcut = (0.5 * (torch.cos(r * (math.pi / self.cutoff)) + 1.0) * (r < self.cutoff)).unsqueeze(-1)
        x = self.embedding.index_select(0, species)
        for block in self.interactions:
            x = block(x, rbf, fcut, senders, receivers)
        y = self.output(x).squeeze(-1)
        return torch.zeros(n_graphs, dtype=y.dtype).index_add_(0, graph_index, y)


def energy_and_forces(model, R, b, create_graph=False):
    R = R.detach().requires_grad_(True)
    E = model(R, b["species"], b["senders"], b["receivers"], b["graphIndex"], b["G"])
    (g,) = torch.autograd.grad(E.sum(), R, create_graph=create_graph)
    return E, -g


def loss_fn(model, b, cfg):
    E, F = energy_and_forces(model, b["positions"], b, create_graph=True)
    dE = (E - b["energy"]) / b["numAtoms"]
    return cfg["energyWeight"] * (dE * dE).mean() + cfg["forceWeight"] * ((F - b["forces"]) ** 2).mean()


def measure(fn, warmup, min_runs, min_time_ms):
    for _ in range(warmup):
        fn()
    times = []
    total = 0.0
    while len(times) < min_runs or total < min_time_ms:
        t0 = time.perf_counter_ns()
        fn()
        dt = (time.perf_counter_ns() - t0) / 1e6
        times.append(dt)
        total += dt
    return {"median": statistics.median(times), "min": min(times), "runs": len(times)}


def main():
    inp, out = sys.argv[1], sys.argv[2]
    with open(inp) as f:
        data = json.load(f)
    cfg, bj = data["config"], data["batch"]
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    info = {
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "interop_threads": torch.get_num_interop_threads(),
        "config": torch.__config__.parallel_info().splitlines()[:6],
    }
    results, timings = {}, {str(n): {} for n in data["threads"]}
    tm = data["timing"]
    for dname, dtype in (("float32", torch.float32), ("float64", torch.float64)):
        p = {k: torch.tensor(v["data"], dtype=torch.float64).reshape(v["shape"]).to(dtype) for k, v in data["weights"].items()}
        idx = lambda k: torch.tensor(bj[k], dtype=torch.int64)
        b = {
            "positions": torch.tensor(bj["positions"], dtype=torch.float64).reshape(-1, 3).to(dtype),
            "species": idx("species"), "senders": idx("senders"), "receivers": idx("receivers"),
            "graphIndex": idx("graphIndex"), "G": len(bj["numAtoms"]),
            "numAtoms": torch.tensor(bj["numAtoms"], dtype=dtype),
            "energy": torch.tensor(bj["energy"], dtype=torch.float64).to(dtype),
            "forces": torch.tensor(bj["forces"], dtype=torch.float64).reshape(-1, 3).to(dtype),
        }
        torch.set_num_threads(1)
        model = SchNet(p, cfg)
        names = {}
        for i in range(cfg["nInteractions"]):
            pre = f"interactions[{i}]"
            blk = model.interactions[i]
            names[f"{pre}.in2f.weight"] = blk.in2f.weight
            for part in ("filter", "f2out"):
                mlp = getattr(blk, part)
                for j, layer in enumerate((mlp.l0, mlp.l1)):
                    names[f"{pre}.{part}.layers[{j}].weight"] = layer.weight
                    names[f"{pre}.{part}.layers[{j}].bias"] = layer.bias
        names["embedding.weight"] = model.embedding
        for j, layer in enumerate((model.output.l0, model.output.l1)):
            names[f"output.layers[{j}].weight"] = layer.weight
            names[f"output.layers[{j}].bias"] = layer.bias
        missing = set(data["weights"]) ^ set(names)
        if missing:
            raise SystemExit(f"schnet_torch.py: parameter names differ from diffmol's: {sorted(missing)}")

        # Results for the agreement check (done by bench/schnet.ts against diffmol float64 eager).
        E, F = energy_and_forces(model, b["positions"], b)
        model.zero_grad(set_to_none=True)
        loss = loss_fn(model, b, cfg)
        loss.backward()
        res = {
            "energy": E.detach().double().tolist(), "forces": F.detach().double().reshape(-1).tolist(),
            "loss": loss.item(),
            "grads": {k: v.grad.double().reshape(-1).tolist() for k, v in names.items()},
        }
        results[dname] = res
        ref = data["reference"]["float64"]
        relerr = lambda got, want: max(abs(g - w) for g, w in zip(got, want)) / max(abs(w) for w in want)
        gerr = max(relerr(res["grads"][k], ref["grads"][k]) for k in names)
        print(f"  torch {dname}: dE {relerr(res['energy'], ref['energy']):.1e}, dF {relerr(res['forces'], ref['forces']):.1e}, "
              f"dloss {abs(res['loss'] - ref['loss']) / abs(ref['loss']):.1e}, dgrad {gerr:.1e} (vs diffmol float64 eager)", file=sys.stderr)

        opt = torch.optim.Adam(model.parameters(), lr=cfg["learningRate"])

        def ef():
            energy_and_forces(model, b["positions"], b)

        def step():
            opt.zero_grad(set_to_none=True)
            l = loss_fn(model, b, cfg)
            l.backward()
            opt.step()
            return l

        for n in data["threads"]:
            torch.set_num_threads(n)
            for what, fn in (("energy+forces", ef), ("train step", step)):
                tn = tm[str(n)] if str(n) in tm else tm["1"]
                t = measure(fn, tn["warmup"], tn["minRuns"], tn["minTimeMs"])
                timings[str(n)][f"{what} {dname}"] = t
                print(f"  PyTorch {n} thread(s) {what} {dname}: median {t['median']:.2f} ms, min {t['min']:.2f} ms ({t['runs']} runs)", file=sys.stderr)
        torch.set_num_threads(1)
    with open(out, "w") as f:
        json.dump({"info": info, "results": results, "timings": timings}, f)


if __name__ == "__main__":
    main()
