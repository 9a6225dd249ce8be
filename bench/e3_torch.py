#!/usr/bin/python3
"""The PyTorch half of bench/e3.ts: the Clebsch-Gordan tensor product written as a dense einsum.

    /usr/bin/python3 bench/e3_torch.py input.json output.json

input.json (written by bench/e3.ts): sizes, the dense real-basis coupling tensor per path
C[p, a, b, c] (diffmol's clebschGordan blocks placed at their rows), the timing settings, and the
paths of raw little-endian float64 files holding the operands:
  full:  y[e,c,k] = sum_{p,a,b} C[p,a,b,c] w[p,k] x1[e,a,k] x2[e,b,k]     (W = C.w folded first)
  fused: y[e,c,k] = sum_{p,a,b} C[p,a,b,c] w_e[e,p,k] x1[e,a,k] Y[e,b]    (per-edge path weights)
"forward" computes y; "forward+backward" computes y and the gradients of <y, G> with respect to
every operand (torch.autograd.grad). output.json: timings (ms, median/min per case and dtype) and,
for bench/e3.ts to check against diffmol, the first rows of y and of every gradient (float64).
Runs on torch.set_num_threads(threads) (1 by default). Only torch and the standard library.
"""
import json
import statistics
import sys
import time

import torch


def load(path, shape, dtype):
    with open(path, "rb") as f:
        buf = bytearray(f.read())
    return torch.frombuffer(buf, dtype=torch.float64).reshape(shape).to(dtype)


def full(x1, x2, w, C):
    W = torch.einsum("pabc,pk->abck", C, w)
    return torch.einsum("eak,ebk,abck->eck", x1, x2, W)


def fused(x1, Y, we, C):
    return torch.einsum("eak,eb,pabc,epk->eck", x1, Y, C, we)


def timeit(fn, timing):
    for _ in range(timing["warmup"]):
        fn()
    times = []
    while len(times) < timing["minRuns"] or sum(times) < timing["minTimeMs"]:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return {"median": statistics.median(times), "min": min(times), "runs": len(times)}


def main():
    inp = json.load(open(sys.argv[1]))
    torch.set_num_threads(inp.get("threads", 1))
    E, Q, F, nP = inp["edges"], inp["rows"], inp["features"], inp["numPaths"]
    keep = inp["checkRows"]
    out = {"info": {"torch": torch.__version__, "threads": torch.get_num_threads()}, "timings": {}, "check": {}}
    for dname in inp["dtypes"]:
        dt = torch.float64 if dname == "float64" else torch.float32
        f = inp["files"]
        C = torch.tensor(inp["C"], dtype=torch.float64).reshape(nP, Q, Q, Q).to(dt)
        x1 = load(f["x1"], (E, Q, F), dt)
        x2 = load(f["x2"], (E, Q, F), dt)
        w = load(f["w"], (nP, F), dt)
        Y = load(f["Y"], (E, Q), dt)
        we = load(f["we"], (E, nP, F), dt)
        G = load(f["G"], (E, Q, F), dt)
        cases = {
            "full": (lambda a, b, c: full(a, b, c, C), [x1, x2, w]),
            "fused": (lambda a, b, c: fused(a, b, c, C), [x1, Y, we]),
        }
        for name, (fn, args) in cases.items():
            with torch.no_grad():
                y = fn(*args)
            out["timings"][f"{name} forward {dname}"] = timeit(lambda: torch.no_grad()(fn)(*args), inp["timing"])
            leaves = [a.clone().requires_grad_(True) for a in args]

            def fb():
                yy = fn(*leaves)
                return yy, torch.autograd.grad(yy, leaves, G)

            yy, grads = fb()
            out["timings"][f"{name} forward+backward {dname}"] = timeit(fb, inp["timing"])
            out["check"][f"{name} {dname}"] = {
                "y": y[:keep].double().flatten().tolist(),
                "grads": [g[:keep].double().flatten().tolist() if g.shape[0] == E else g.double().flatten().tolist() for g in grads],
            }
            print(f"  torch {name} {dname}: fwd {out['timings'][f'{name} forward {dname}']['median']:.1f} ms, "
                  f"fwd+bwd {out['timings'][f'{name} forward+backward {dname}']['median']:.1f} ms", file=sys.stderr, flush=True)
    json.dump(out, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
