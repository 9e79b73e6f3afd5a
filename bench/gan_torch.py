"""PyTorch side of bench/gan.ts: the same GAN training loop for the Lorenz setting (data dim 3, latent 3,
G and D 128-128 leaky-ReLU(0.01) MLPs, He-normal init, batch 256), non-saturating (1 D update per G update,
Adam(2e-4, (0.5, 0.999))) and WGAN-GP (lambda 10, 5 critic updates, Adam(1e-4, (0.5, 0.9)), gradient
penalty by torch.autograd.grad(create_graph=True)). Real rows drawn uniformly with replacement from 10,000
N(0, I_3) rows; every update reads its loss back (.item()), as the jax-js loop syncs. Timed with one
thread, PyTorch's default thread count and os.cpu_count() threads (duplicates skipped).

Run: /usr/bin/python3 bench/gan_torch.py [--quick]   (prints one JSON object on stdout)
"""
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

QUICK = "--quick" in sys.argv
DEFAULT_THREADS = torch.get_num_threads()
DATA_DIM, LATENT, HIDDEN, BATCH, ROWS = 3, 3, 128, 256, 10_000
SETTINGS = {
    "non-saturating": {"k": 1, "lr": 2e-4, "betas": (0.5, 0.999)},
    "wgan-gp": {"k": 5, "lr": 1e-4, "betas": (0.5, 0.9), "gp": 10.0},
}


def mlp(i, o):
    m = torch.nn.Sequential(
        torch.nn.Linear(i, HIDDEN), torch.nn.LeakyReLU(0.01),
        torch.nn.Linear(HIDDEN, HIDDEN), torch.nn.LeakyReLU(0.01),
        torch.nn.Linear(HIDDEN, o),
    )
    for layer in m:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.kaiming_normal_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
    return m


def measure(loss, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    s = SETTINGS[loss]
    G, D = mlp(LATENT, DATA_DIM), mlp(DATA_DIM, 1)
    g_opt = torch.optim.Adam(G.parameters(), lr=s["lr"], betas=s["betas"])
    d_opt = torch.optim.Adam(D.parameters(), lr=s["lr"], betas=s["betas"])
    data = torch.randn(ROWS, DATA_DIM)

    def d_update():
        x = data[torch.randint(0, ROWS, (BATCH,))]
        with torch.no_grad():
            fake = G(torch.randn(BATCH, LATENT))
        if loss == "non-saturating":
            logits = D(torch.cat([x, fake])).squeeze(1)
            d_loss = F.softplus(-logits[:BATCH]).mean() + F.softplus(logits[BATCH:]).mean()
        else:
            eps = torch.rand(BATCH, 1)
            x_hat = (fake + eps * (x - fake)).requires_grad_(True)
            (grad,) = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)
            penalty = ((grad.norm(dim=1) - 1) ** 2).mean()
            values = D(torch.cat([x, fake])).squeeze(1)
            d_loss = values[BATCH:].mean() - values[:BATCH].mean() + s["gp"] * penalty
        d_opt.zero_grad(set_to_none=True)
        d_loss.backward()
        d_opt.step()
        return d_loss.item()

    def g_update():
        values = D(G(torch.randn(BATCH, LATENT))).squeeze(1)
        g_loss = F.softplus(-values).mean() if loss == "non-saturating" else -values.mean()
        g_opt.zero_grad(set_to_none=True)
        g_loss.backward()
        g_opt.step()
        return g_loss.item()

    def iteration():
        for _ in range(s["k"]):
            d_update()
        return g_update()

    t0 = time.perf_counter()
    iteration()
    first = time.perf_counter() - t0
    for _ in range(3 if QUICK else 20):
        iteration()
    reps, inner = (3, 5) if QUICK else (7, 30)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            iteration()
        times.append((time.perf_counter() - t0) / inner)
    return {"loss": loss, "threads": threads, "sec_per_iteration": statistics.median(times), "first_call_sec": first}


print(json.dumps({
    "torch": torch.__version__,
    "python": sys.version.split()[0],
    "default_threads": DEFAULT_THREADS,
    "cpu_count": os.cpu_count(),
    "results": [
        measure(loss, t) for loss in SETTINGS for t in sorted({1, DEFAULT_THREADS, os.cpu_count() or 1})
    ],
}))
