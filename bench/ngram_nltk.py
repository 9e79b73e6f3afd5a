#!/usr/bin/env python3
"""NLTK side of bench/ngram.ts: train NLTK's n-gram models on the same corpus and time scoring.

  /usr/bin/python3 bench/ngram_nltk.py --train train.txt --test test.txt --order 3 \
      --wb-tokens 20000 --kn-tokens 10

The corpus files hold one whitespace-tokenised sentence per line. NLTK is fed exactly our n-grams
(one <s>, every n-gram ending at a predicted token), as test/fixtures/ngram/generate.py does, so that
Witten-Bell is the same model as ours (NLTK's recursion; the unigram interpolated with the uniform
distribution over the outcomes, which is how ours differs from stock NLTK) and its log-probability
of the scored slice can be compared. NLTK's KneserNeyInterpolated is a different estimator (one
discount, 0.1, and continuation counts found by scanning every higher-order context on each call);
only its speed is reported. Prints one JSON object.
"""

import argparse
import json
import math
import time

import nltk
from nltk.lm import KneserNeyInterpolated, Vocabulary
from nltk.lm.models import InterpolatedLanguageModel
from nltk.lm.smoothing import WittenBell

BOS, EOS, UNK = "<s>", "</s>", "<unk>"


class OutcomeVocabulary(Vocabulary):
    """<s> is never predicted, so it is not an outcome (only matters for add-k)."""

    def __len__(self):
        return super().__len__() - 1


class WittenBellUniform(WittenBell):
    def unigram_score(self, word):
        u = self.counts.unigrams
        if not hasattr(self, "_n_plus"):  # computed once: the counts do not change after fit
            self._n_plus = sum(1 for c in u.values() if c > 0)
            self._outcomes = len(self.vocab)
        return (u[word] + self._n_plus / self._outcomes) / (u.N() + self._n_plus)


def read(path):
    with open(path, encoding="utf-8") as f:
        return [line.split() for line in f if line.strip()]


def counted_ngrams(sent, N):
    toks = [BOS] + sent + [EOS]
    for i in range(1, len(toks)):
        for n in range(1, N + 1):
            if i - n + 1 < 0:
                break
            yield tuple(toks[i - n + 1 : i + 1])


def events(sents, N, limit, mid_sentence=False):
    """(word, context) pairs of the first `limit` predicted tokens (with a full context without <s>)."""
    out = []
    for s in sents:
        toks = [BOS] + s + [EOS]
        for i in range(N if mid_sentence else 1, len(toks)):
            out.append((toks[i], tuple(toks[max(0, i - N + 1) : i])))
            if len(out) >= limit:
                return out
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--order", type=int, default=3)
    ap.add_argument("--wb-tokens", type=int, default=20000)
    ap.add_argument("--kn-tokens", type=int, default=10)
    a = ap.parse_args()
    train, test = read(a.train), read(a.test)
    N = a.order
    tokens = sum(len(s) + 1 for s in train)

    t0 = time.perf_counter()
    vocab = OutcomeVocabulary((t for s in train for t in [BOS] + s + [EOS]), unk_cutoff=1, unk_label=UNK)
    wb = InterpolatedLanguageModel(WittenBellUniform, N, vocabulary=vocab)
    wb.fit(list(counted_ngrams(s, N)) for s in train)
    train_s = time.perf_counter() - t0

    ev = events(test, N, a.wb_tokens)
    t0 = time.perf_counter()
    wb_logprob = sum(math.log(wb.score(w, h)) for w, h in ev)
    wb_s = time.perf_counter() - t0

    # KneserNeyInterpolated shares the counts; only its scoring is timed. It divides by zero on
    # contexts starting with a single <s> (it expects n - 1 of them), so only mid-sentence tokens.
    kn = KneserNeyInterpolated(N, vocabulary=vocab, counter=wb.counts)
    kev = events(test, N, a.kn_tokens, mid_sentence=True)
    t0 = time.perf_counter()
    for w, h in kev:
        kn.score(w, h)
    kn_s = time.perf_counter() - t0

    print(
        json.dumps(
            {
                "nltk": nltk.__version__,
                "order": N,
                "train_tokens": tokens,
                "train_s": train_s,
                "wb_tokens": len(ev),
                "wb_s": wb_s,
                "wb_logprob": wb_logprob,
                "kn_tokens": len(kev),
                "kn_s": kn_s,
            }
        )
    )


if __name__ == "__main__":
    main()
