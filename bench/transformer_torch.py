"""PyTorch side of bench/transformer.ts: the same pre-norm GPT train step (token + learned position
embeddings, fused-QKV causal attention, GELU (tanh) MLP of width 4D, final LayerNorm, head tied to the
token embedding, mean next-token cross-entropy, clip_grad_norm_(1), AdamW lr 1e-3 betas (0.9, 0.99)
weight decay 0.1) on a fixed random batch, float32, timed with one thread and with PyTorch's default.
Also the time of one generation step (forward of a [1, T] context, logits of the last position).

Run: /usr/bin/python3 bench/transformer_torch.py [--quick]   (prints one JSON object on stdout)
"""
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

QUICK = "--quick" in sys.argv
DEFAULT_THREADS = torch.get_num_threads()
CONFIGS = [
    {"name": "char", "V": 30, "T": 16, "D": 64, "L": 2, "H": 4, "B": 32},
    {"name": "word", "V": 2000, "T": 32, "D": 128, "L": 2, "H": 4, "B": 32},
]


class Block(torch.nn.Module):
    def __init__(self, D, H):
        super().__init__()
        self.H = H
        self.ln1 = torch.nn.LayerNorm(D)
        self.qkv = torch.nn.Linear(D, 3 * D)
        self.proj = torch.nn.Linear(D, D)
        self.ln2 = torch.nn.LayerNorm(D)
        self.up = torch.nn.Linear(D, 4 * D)
        self.down = torch.nn.Linear(4 * D, D)

    def forward(self, x, mask):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.H, D // self.H).permute(2, 0, 3, 1, 4)
        s = (q @ k.transpose(-1, -2)) / math.sqrt(D // self.H)
        w = torch.softmax(s.masked_fill(~mask, -1e9), dim=-1)
        x = x + self.proj((w @ v).transpose(1, 2).reshape(B, T, D))
        return x + self.down(F.gelu(self.up(self.ln2(x)), approximate="tanh"))


class GPT(torch.nn.Module):
    def __init__(self, V, T, D, L, H):
        super().__init__()
        self.tok = torch.nn.Embedding(V, D)
        self.pos = torch.nn.Embedding(T, D)
        self.blocks = torch.nn.ModuleList([Block(D, H) for _ in range(L)])
        self.ln = torch.nn.LayerNorm(D)
        self.register_buffer("mask", torch.tril(torch.ones(T, T, dtype=torch.bool)))

    def forward(self, idx):
        T = idx.shape[1]
        x = self.tok(idx) + self.pos.weight[:T]
        for b in self.blocks:
            x = b(x, self.mask[:T, :T])
        return self.ln(x) @ self.tok.weight.T


def timed(fn, warmup, reps, inner):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t0) / inner)
    return statistics.median(times)


def measure(cfg, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    V, T, B = cfg["V"], cfg["T"], cfg["B"]
    model = GPT(V, T, cfg["D"], cfg["L"], cfg["H"])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=0.1)
    x = torch.randint(0, V, (B, T))
    y = torch.randint(0, V, (B, T))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x).reshape(-1, V), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    ctx = torch.randint(0, V, (1, T))

    def gen():
        with torch.no_grad():
            return torch.log_softmax(model(ctx)[0, -1], -1).tolist()

    t0 = time.perf_counter()
    step()
    first = time.perf_counter() - t0
    w, r, i = (2, 3, 3) if QUICK else (10, 5, 20)
    return {
        "config": cfg["name"],
        "threads": threads,
        "sec_per_step": timed(step, w, r, i),
        "first_call_sec": first,
        "sec_per_token": timed(gen, w, r, i),
    }


print(json.dumps({
    "torch": torch.__version__,
    "python": sys.version.split()[0],
    "default_threads": DEFAULT_THREADS,
    "cpu_count": os.cpu_count(),
    "results": [measure(c, t) for c in CONFIGS for t in sorted({1, DEFAULT_THREADS})],
}))
