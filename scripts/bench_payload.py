#!/usr/bin/env python3
"""Generates scripts/bench.sh's data: a payload shaped like what bundles carry, scaled to a size.

usage: bench_payload.py SIZE_MB OUT

  OUT/payload/model/       a "model repo": files of 500 MB (fewer, smaller ones below 1.5 GB),
                           random bytes as weights are (about half the size)
  OUT/payload/wheelhouse/  a "wheelhouse": ~2,000 files of 4 KB-5 MB, log-uniform, half
                           compressible (about a third of the size)
  OUT/payload/conda/       a "conda channel": ~20,000 small files of 1-40 KB in linux-64/ and
                           noarch/ (the rest)
  OUT/downloads/           64 files holding a third of SIZE_MB together, for the download scenario

The counts scale with SIZE_MB / 3072 (at least 16 wheels, 100 conda files). Deterministic (seed 42).
"""
import os
import random
import sys


def write(path, size, rng, compressible):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as out:
        left = size
        while left:
            n = min(left, 4 << 20)
            if compressible:
                half = n // 2
                text = (b"def f%d(x): return x * %d\n" % (rng.randrange(1000), rng.randrange(1000))) * (half // 26 + 1)
                out.write(rng.randbytes(n - half) + text[:half])
            else:
                out.write(rng.randbytes(n))
            left -= n


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    size = int(sys.argv[1]) << 20
    out = sys.argv[2]
    rng = random.Random(42)
    scale = size / (3072 << 20)

    model = size // 2
    count = max(1, round(model / (500 << 20)))
    for i in range(count):
        write(f"{out}/payload/model/model-{i + 1:05d}-of-{count:05d}.safetensors", model // count, rng, False)

    wheels = max(16, round(2000 * scale))
    budget = size // 3
    sizes = [rng.uniform(0, 1) for _ in range(wheels)]
    sizes = [int(4096 * (1250 ** u)) for u in sizes]  # 4 KB to 5 MB, log-uniform
    factor = min(1.0, budget / max(1, sum(sizes)))
    for i, s in enumerate(sizes):
        write(f"{out}/payload/wheelhouse/pkg{i:04d}-1.0-py3-none-any.whl", max(4096, int(s * factor)), rng, True)

    conda = max(100, round(20000 * scale))
    for i in range(conda):
        subdir = "noarch" if i % 4 == 0 else "linux-64"
        write(f"{out}/payload/conda/{subdir}/pkg{i:05d}-1.0-0.tar.bz2", rng.randrange(1024, 40 * 1024), rng, True)

    for i in range(64):
        write(f"{out}/downloads/part-{i:02d}.bin", max(1, size // 3 // 64), rng, False)


if __name__ == "__main__":
    main()
