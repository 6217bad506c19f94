#!/usr/bin/env python3
"""A generated conda channel shaped like conda-forge's linux-64, for scripts/bench.sh.

Usage: bench_conda_repodata.py RECORDS CHANNEL_DIR SPECS_FILE

Writes CHANNEL_DIR/linux-64/repodata.json with exactly RECORDS records (and an empty
CHANNEL_DIR/noarch/repodata.json; bench.sh compresses both), and SPECS_FILE: a JSON list of
~15 match specs whose dependency tree is a few hundred packages. Deterministic (fixed seed).

A base (python 3.8-3.12 with python_abi, libgcc-ng, libstdcxx-ng, openssl, libzlib), then a
pyramid of names, each depending on python or C libraries and on a few earlier names, with
several versions and builds (one per python for the compiled python packages). Every pin admits
the newest version of what it names, so the newest of everything with python 3.11 is a solution;
older versions pin older majors, as real run-exports do, which gives a solver work.
"""
import hashlib
import json
import os
import random
import sys

SEED = 20261130
PYTHONS = ["3.8", "3.9", "3.10", "3.11", "3.12"]
BASE_TIME_MS = 1_600_000_000_000
MAX_ROOTS, MAX_TREE = 15, 400


def cp(py):
    return "cp" + py.replace(".", "")


def upper(version):  # ">=1.2.3,<1.3.0a0": the run-export pin of a C library
    major, minor = version.split(".")[:2]
    return f"<{major}.{int(minor) + 1}.0a0"


def main():
    records_wanted, channel, specs_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rng = random.Random(SEED)
    # name -> list of (version, build, build_number, depends, constrains, track_features), oldest first
    packages = {}
    deps_of = {}  # name -> names it depends on (newest version): for choosing the roots

    def add(name, version, build, build_number, depends, constrains=(), track_features=""):
        packages.setdefault(name, []).append((version, build, build_number, list(depends), list(constrains), track_features))

    def versions(count):
        out, major, minor, patch = [], rng.randint(0, 2), rng.randint(0, 9), 0
        for _ in range(count):
            step = rng.random()
            if step < 0.1:
                major, minor, patch = major + 1, 0, 0
            elif step < 0.5:
                minor, patch = minor + 1, 0
            else:
                patch += 1
            out.append(f"{major}.{minor}.{patch}")
        return out

    glibc = "__glibc >=2.17,<3.0.a0"
    for gcc in ["9.5.0", "10.4.0", "11.2.0", "12.3.0", "13.2.0"]:
        for name in ["libgcc-ng", "libstdcxx-ng", "libgomp"]:
            add(name, gcc, "h77fa898_0" if gcc[:2] == "13" else "h807b86a_0", 0, [glibc])
        for bn in range(1, 3):
            add("libgcc-ng", gcc, f"h807b86a_{bn}", bn, ["_libgcc_mutex 0.1 conda_forge", glibc])
    add("_libgcc_mutex", "0.1", "conda_forge", 0, [])
    for v in ["1.2.11", "1.2.12", "1.2.13", "1.3.1"]:
        add("libzlib", v, "h4ab18f5_1", 1, ["libgcc-ng >=12"], ["zlib 1.3.1 *_1"])
    for v in ["1.1.1w", "3.0.13", "3.1.4", "3.2.1", "3.3.1"]:
        add("openssl", v, "h4bc722e_2", 2, ["ca-certificates", "libgcc-ng >=12"])
    add("ca-certificates", "2024.7.4", "hbcca054_0", 0, [])
    base_c = ["libgcc-ng", "libstdcxx-ng", "libzlib", "openssl"]
    for py in PYTHONS:
        for patch in range(0, 8):
            for bn in range(0, 3):
                add("python", f"{py}.{patch}", f"h{hashlib.md5(f'{py}{patch}{bn}'.encode()).hexdigest()[:7]}_{bn}_cpython", bn,
                    ["libgcc-ng >=12", "libzlib >=1.2.13,<2.0.0a0", "openssl >=3.0,<4.0a0", "ca-certificates", glibc],
                    [f"python_abi {py}.* *_{cp(py)}"])
        add("python_abi", py, f"4_{cp(py)}", 4, [], [f"python {py}.* *_cpython"])
    # A track_features build: the one a solver should avoid (pypy's python_abi, as on conda-forge).
    add("python_abi", "3.10", "4_pypy310_pp73", 4, [], ["python 3.10.* *_73_pypy"], "pypy")

    # The pyramid: enough names for records_wanted at ~30 records each.
    names, kinds = [], {}
    pyramid_names = max(60, records_wanted // 30)
    for i in range(pyramid_names):
        kind = "c" if rng.random() < 0.35 else ("pure" if rng.random() < 0.25 else "py")
        name = f"{'lib' if kind == 'c' else 'py'}{rng.choice(['tensor', 'arrow', 'cu', 'fast', 'geo', 'img', 'text', 'net', 'sci', 'data'])}-{i:05d}"
        earlier = [n for n in names[-600:] if kind != "c" or kinds[n] == "c"]  # C libraries need only C libraries
        picked = rng.sample(earlier, min(len(earlier), rng.choice([0, 1, 1, 2, 2, 3, 4])))
        names.append(name)
        kinds[name] = kind
        deps_of[name] = picked

    newest = {}
    for name in names:
        kind = kinds[name]
        vs = versions(rng.randint(2, 9) if kind != "c" else rng.randint(3, 12))
        newest[name] = vs[-1]
        for idx, v in enumerate(vs):
            is_newest = idx == len(vs) - 1
            pins = []
            for dep in deps_of[name]:
                dv = newest[dep]
                if kinds[dep] == "c":
                    pins.append(f"{dep} >={dv}" + ("," + upper(dv) if is_newest or rng.random() < 0.3 else ""))
                else:
                    pins.append(f"{dep} >={'.'.join(dv.split('.')[:2])}" if is_newest or rng.random() < 0.5 else f"{dep} <{dv}")
            other = rng.choice(list(newest)) if rng.random() < 0.1 else None  # a name done already
            constrains = [f"{other} >={newest[other]}"] if other and other != name else []
            builds = 1 + (rng.random() < 0.3)
            for bn in range(builds):
                h = hashlib.md5(f"{name}{v}{bn}".encode()).hexdigest()[:7]
                if kind == "c":
                    add(name, v, f"h{h}_{bn}", bn, ["libgcc-ng >=12", "libstdcxx-ng >=12", glibc] + pins, constrains)
                elif kind == "pure":
                    add(name, v, f"pyhd8ed1ab_{bn}", bn, ["python >=3.8"] + pins, constrains)
                else:
                    for py in PYTHONS:
                        nxt = f"3.{int(py.split('.')[1]) + 1}"
                        add(name, v, f"py{cp(py)[2:]}h{h}_{bn}", bn,
                            [f"python >={py},<{nxt}.0a0", f"python_abi {py}.* *_{cp(py)}",
                             "libgcc-ng >=12", glibc] + pins, constrains)
                # A debug variant now and then, as conda-forge's track_features builds.
                if rng.random() < 0.03:
                    last = packages[name][-1]
                    add(name, v, last[1].rsplit("_", 1)[0] + f"_debug_{bn}", bn, last[3], last[4], "debug")

    # Exactly records_wanted: keep every newest version (what the solution needs), then older ones.
    essential, optional = [], []
    for name, recs in packages.items():
        top = recs[-1][0]
        for r in recs:
            (essential if r[0] == top or name in ("python", "python_abi", "libgcc-ng") else optional).append((name, r))
    if len(essential) > records_wanted:
        sys.exit(f"bench_conda_repodata: {len(essential)} records are needed, more than {records_wanted}")
    rng.shuffle(optional)
    while len(essential) + len(optional) < records_wanted:  # more builds of old versions
        name, r = rng.choice(optional)
        optional.append((name, (r[0], r[1] + f"_{len(optional)}", r[2] + 1) + r[3:]))
    kept = essential + optional[:records_wanted - len(essential)]

    repodata = {"info": {"subdir": "linux-64"}, "packages": {}, "packages.conda": {}, "removed": [], "repodata_version": 1}
    for i, (name, (version, build, bn, depends, constrains, track)) in enumerate(kept):
        conda_format = rng.random() < 0.6
        filename = f"{name}-{version}-{build}" + (".conda" if conda_format else ".tar.bz2")
        rec = {"build": build, "build_number": bn, "depends": depends, "license": rng.choice(["MIT", "BSD-3-Clause", "Apache-2.0"]),
               "md5": hashlib.md5(filename.encode()).hexdigest(), "name": name,
               "sha256": hashlib.sha256(filename.encode()).hexdigest(), "size": rng.randint(4_000, 40_000_000),
               "subdir": "linux-64", "timestamp": BASE_TIME_MS + i * 997, "version": version}
        if constrains:
            rec["constrains"] = constrains
        if track:
            rec["track_features"] = track
        repodata["packages.conda" if conda_format else "packages"][filename] = rec
    assert len(repodata["packages"]) + len(repodata["packages.conda"]) == records_wanted

    # Roots: the newest names whose trees together stay within MAX_TREE names.
    def tree(name, seen):
        if name not in seen:
            seen.add(name)
            for dep in deps_of.get(name, []):
                tree(dep, seen)
        return seen

    roots, together = [], set()
    for name in reversed(names):
        if len(roots) == MAX_ROOTS:
            break
        with_it = tree(name, set(together))
        if len(with_it) <= MAX_TREE:
            roots.append(name)
            together = with_it

    for subdir, data in [("linux-64", repodata), ("noarch", {"info": {"subdir": "noarch"}, "packages": {}, "packages.conda": {}})]:
        os.makedirs(os.path.join(channel, subdir), exist_ok=True)
        with open(os.path.join(channel, subdir, "repodata.json"), "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
    with open(specs_file, "w") as f:
        json.dump(["python 3.11.*"] + roots, f)
    print(f"{records_wanted} records, {len(packages)} names, {len(roots)} roots over {len(together)} names", file=sys.stderr)


if __name__ == "__main__":
    main()
