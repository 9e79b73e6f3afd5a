"""PyTorch side of bench/vae.ts: the same VAE train step (batch 256, 2,000 features, encoder
2000->128->(10, 10), decoder 10->128->2000, ReLU, NB likelihood with softmax scale times the observed
library size and a per-gene inverse dispersion, as scvi-tools' VAE; closed-form KL; Adam lr 1e-3),
timed with one thread, with PyTorch's default thread count and with os.cpu_count() threads.

Run: /usr/bin/python3 bench/vae_torch.py [--quick]   (prints one JSON object on stdout)
"""
import json
import os
import statistics
import sys
import time

import torch

QUICK = "--quick" in sys.argv
DEFAULT_THREADS = torch.get_num_threads()
B, D, H, L = 256, 2000, 128, 10
EPS = 1e-8


def log_nb_positive(x, mu, theta):
    """scvi-tools `log_nb_positive` (scvi/distributions/_negative_binomial.py)."""
    log_theta_mu_eps = torch.log(theta + mu + EPS)
    return (
        theta * (torch.log(theta + EPS) - log_theta_mu_eps)
        + x * (torch.log(mu + EPS) - log_theta_mu_eps)
        + torch.lgamma(x + theta)
        - torch.lgamma(theta)
        - torch.lgamma(x + 1)
    )


class Vae(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = torch.nn.Linear(D, H)
        self.mean = torch.nn.Linear(H, L)
        self.log_var = torch.nn.Linear(H, L)
        self.dec = torch.nn.Linear(L, H)
        self.out = torch.nn.Linear(H, D)
        self.log_theta = torch.nn.Parameter(torch.zeros(D))

    def loss(self, x):
        library = x.sum(-1, keepdim=True)
        h = torch.relu(self.enc(torch.log1p(x)))
        mean, log_var = self.mean(h), self.log_var(h)
        z = mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)
        mu = torch.softmax(self.out(torch.relu(self.dec(z))), -1) * library
        recon = log_nb_positive(x, mu, torch.exp(self.log_theta)).sum(-1)
        kl = 0.5 * (mean**2 + torch.exp(log_var) - 1 - log_var).sum(-1)
        return (kl - recon).mean()


def data():
    g = torch.Generator().manual_seed(0)
    z = torch.randn(B, 2, generator=g)
    w = torch.randn(2, D, generator=g)
    rate = torch.exp(z @ w * 0.5) * 2.0
    return torch.poisson(rate, generator=g)


def measure(threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Vae()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = data()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = model.loss(x)
        loss.backward()
        opt.step()
        return loss.item()

    t0 = time.perf_counter()
    step()
    first = time.perf_counter() - t0
    for _ in range(3 if QUICK else 10):
        step()
    reps, inner = (3, 5) if QUICK else (7, 20)
    times = []
    loss = 0.0
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            loss = step()
        times.append((time.perf_counter() - t0) / inner)
    return {"threads": threads, "sec_per_step": statistics.median(times), "first_call_sec": first, "loss": loss}


print(json.dumps({
    "torch": torch.__version__,
    "python": sys.version.split()[0],
    "default_threads": DEFAULT_THREADS,
    "cpu_count": os.cpu_count(),
    "results": [measure(t) for t in sorted({1, DEFAULT_THREADS, os.cpu_count() or 1})],
}))
