#!/usr/bin/env python3
"""Drops a tree's files from the page cache (POSIX_FADV_DONTNEED), for scripts/bench_core.sh:
the trees a run extracts are kept until the end, and their pages would otherwise fill memory.
Usage: bench_evict.py DIR  (write the tree back first: only clean pages are dropped)"""
import os
import sys

for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        path = os.path.join(folder, name)
        if os.path.islink(path):
            continue
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
