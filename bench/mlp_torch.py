"""PyTorch side of bench/mlp.ts: the same MLP train step (batch 256, 3->256->256->3, ReLU, Adam lr 1e-3,
MSE on random data), timed with one thread, with PyTorch's default thread count and with os.cpu_count()
threads (each once; duplicates skipped).

Run: /usr/bin/python3 bench/mlp_torch.py [--quick]   (prints one JSON object on stdout)
"""
import json
import os
import statistics
import sys
import time

import torch

QUICK = "--quick" in sys.argv
DEFAULT_THREADS = torch.get_num_threads()


def measure(threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 3)
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(256, 3)
    y = torch.randn(256, 3)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    t0 = time.perf_counter()
    step()
    first = time.perf_counter() - t0
    for _ in range(3 if QUICK else 20):
        step()
    reps, inner = (3, 10) if QUICK else (7, 50)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            step()
        times.append((time.perf_counter() - t0) / inner)
    return {"threads": threads, "sec_per_step": statistics.median(times), "first_call_sec": first}


print(json.dumps({
    "torch": torch.__version__,
    "python": sys.version.split()[0],
    "default_threads": DEFAULT_THREADS,
    "cpu_count": os.cpu_count(),
    "results": [measure(t) for t in sorted({1, DEFAULT_THREADS, os.cpu_count() or 1})],
}))
