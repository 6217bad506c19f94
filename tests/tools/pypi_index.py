#!/usr/bin/python3
"""A loopback Python package index for gapbundle's tests, demo and benchmark.

Python 3.11 standard library only; run it with the distribution's /usr/bin/python3.

    pypi_index.py build SPEC.json OUT [--no-metadata-files] [--distro-wheels] [--api-version 1.0|1.1]
                                      [--json-dist-info-metadata]
    pypi_index.py graph N SEED OUT-SPEC.json [--files-size BYTES]

`build` writes, from SPEC.json:
    OUT/files/NAME-VER-TAGS.whl            real wheels, the same bytes on every run
    OUT/files/NAME-VER-TAGS.whl.metadata   PEP 658 core metadata (unless --no-metadata-files)
    OUT/files/NAME-VER.tar.gz              when the version asks for an sdist
    OUT/simple/index.html, index.json      the root page (PEP 503, PEP 691 v1.0)
    OUT/simple/CANONICAL-NAME/index.html   PEP 503 anchors with #sha256=, data-requires-python,
                                           data-yanked, data-dist-info-metadata/data-core-metadata
    OUT/simple/CANONICAL-NAME/index.json   PEP 691 with PEP 700 (api-version 1.1: versions, size);
                                           --api-version 1.0 leaves out versions and size.
JSON metadata keys: "core-metadata" ({"sha256": HEX} or false, PEP 714) and, as PyPI does,
"data-dist-info-metadata" when the file exists. The PEP 691 key "dist-info-metadata" is left out
unless --json-dist-info-metadata: pip 23.0 crashes on its dictionary form ("unhashable type:
'dict'"), which is why PEP 714 renamed it. HTML anchors carry both data-dist-info-metadata and
data-core-metadata (pip 23.0 reads the first and then fetches FILE.metadata).
File hrefs are relative ("../../files/FILE"), so OUT can be served from any URL as long as
simple/ and files/ stay siblings. --distro-wheels adds /usr/share/python-wheels/*.whl (pip,
setuptools, wheel from python3-{pip,setuptools,wheel}-whl), their metadata read from the wheels.

Spec format (JSON; unknown keys are rejected so typos show):
    {
      "projects": {
        "Display.Name": {                        # the name as written in METADATA's Name
          "versions": {
            "1.0": {                             # written as is: give normalised versions
              "requires_dist": ["idna>=3", "pysocks; extra == 'socks'",
                                "colorama; sys_platform == 'win32'"],   # PEP 508, default []
              "provides_extra": ["socks"],       # default []
              "requires_python": ">=3.8",        # default: none
              "tags": ["py3-none-any",           # one wheel per entry; compressed tag sets
                       "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
                       "cp312-cp312-win_amd64"], # default ["py3-none-any"]; [] for no wheel
              "yanked": false,                   # false, true, or "the reason"
              "sdist": false,                    # true: also Display_Name-1.0.tar.gz with PKG-INFO
              "files_size": 0,                   # bytes of incompressible padding in each file
              "upload_time": "2024-01-02T03:04:05Z",   # optional, JSON pages only
              "summary": "..."                   # optional METADATA Summary
            }
          }
        }
      },
      "roots": ["app"]                           # optional: what a test or benchmark resolves
    }
Versions keep the spec's order in the pages (indexes promise no order). `yanked: true` is written
as data-yanked="" and "yanked": true (PEP 691 allows a boolean); a reason as the string.

Wheels: <import name>/__init__.py with __version__ (import name = canonical name with '-' → '_'),
NAME-VER.dist-info/{METADATA,WHEEL,RECORD}; Root-Is-Purelib is true only when every tag's platform
is "any"; WHEEL has one Tag line per expanded tag; RECORD has urlsafe-base64 sha256 and sizes.
Zip members are sorted (the package first, the .dist-info last, RECORD at the very end) and carry
a fixed timestamp, so a spec always gives the same bytes.

`graph` writes a deterministic spec of about N projects shaped like a real dependency tree:
layers, diamonds, several versions per project, some extras and environment markers, an
occasional yanked or pre-release version, and ranges chosen so that one assignment (the
"target" versions) meets every requirement of every version: the "roots" always resolve.

Checked with the distribution's pip 23.0.1 (`pip download --only-binary=:all:`, `pip install
--target`, `pip install --dry-run --report`) over both the JSON and the HTML pages; those pip
commands never install into the system environment, so Debian's EXTERNALLY-MANAGED check does not
apply (pip skips it for --target and --dry-run, and inside a venv; tests/support/python_index.cpp
makes its venvs with --without-pip --system-site-packages so the distribution's pip runs inside).
pip 23.0 quirks to keep in mind when pip is the oracle: with PEP 658 files in HTML pages it wants a
requirement spelled exactly as METADATA's Name ("Top.App", not "top-app"; fixed in pip 23.1), and
it evaluates environment markers for the host whatever --platform/--python-version say.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import html
import io
import json
import random
import re
import sys
import tarfile
import zipfile
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path

GENERATOR = "gapbundle-pypi-index 1.0"
ZIP_TIME = (2020, 2, 2, 0, 0, 0)
TAR_MTIME = 1580601600  # 2020-02-02T00:00:00Z
DISTRO_WHEELS = Path("/usr/share/python-wheels")
VERSION_KEYS = {"requires_dist", "provides_extra", "requires_python", "tags", "yanked", "sdist",
                "files_size", "upload_time", "summary"}


class SpecError(Exception):
    pass


def canonical_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def escaped_name(name: str) -> str:
    """The distribution part of wheel and sdist file names."""
    return canonical_name(name).replace("-", "_")


def expand_tag(tag: str) -> list[str]:
    parts = tag.split("-")
    if len(parts) != 3 or not all(parts):
        raise SpecError(f"tag {tag!r} is not PYTHON-ABI-PLATFORM")
    return [f"{p}-{a}-{pl}" for p in parts[0].split(".") for a in parts[1].split(".")
            for pl in parts[2].split(".")]


def urlsafe_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def padding(size: int, seed: str) -> bytes:
    """Incompressible, but the same bytes for the same seed."""
    return random.Random(seed).randbytes(size) if size > 0 else b""


@dataclass
class Release:
    """One version of one project, as the spec gives it."""
    name: str
    version: str
    requires_dist: list[str] = field(default_factory=list)
    provides_extra: list[str] = field(default_factory=list)
    requires_python: str | None = None
    tags: list[str] = field(default_factory=lambda: ["py3-none-any"])
    yanked: bool | str = False
    sdist: bool = False
    files_size: int = 0
    upload_time: str | None = None
    summary: str | None = None


@dataclass
class DistFile:
    filename: str
    data: bytes
    metadata: bytes | None  # the core metadata, for the PEP 658 file
    release: Release


def metadata_text(r: Release) -> bytes:
    lines = ["Metadata-Version: 2.1", f"Name: {r.name}", f"Version: {r.version}"]
    if r.summary:
        lines.append(f"Summary: {r.summary}")
    if r.requires_python:
        lines.append(f"Requires-Python: {r.requires_python}")
    lines += [f"Requires-Dist: {req}" for req in r.requires_dist]
    lines += [f"Provides-Extra: {extra}" for extra in r.provides_extra]
    return ("\n".join(lines) + "\n").encode()


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            # Padding is random: storing it is as small and much faster.
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".bin") else zipfile.ZIP_DEFLATED
            z.writestr(info, data, compresslevel=6 if info.compress_type == zipfile.ZIP_DEFLATED else None)
    return out.getvalue()


def build_wheel(r: Release, tag: str) -> DistFile:
    expanded = expand_tag(tag)
    purelib = all(t.split("-")[2] == "any" for t in expanded)
    dist = escaped_name(r.name)
    pkg = canonical_name(r.name).replace("-", "_")
    info_dir = f"{dist}-{r.version}.dist-info"
    metadata = metadata_text(r)
    wheel = "\n".join(["Wheel-Version: 1.0", f"Generator: {GENERATOR}",
                       f"Root-Is-Purelib: {'true' if purelib else 'false'}"]
                      + [f"Tag: {t}" for t in expanded]) + "\n"
    files = {f"{pkg}/__init__.py": f'__version__ = "{r.version}"\n'.encode()}
    if r.files_size > 0:
        files[f"{pkg}/_padding.bin"] = padding(r.files_size, f"{dist}-{r.version}-{tag}")
    members = sorted(files.items())
    members += [(f"{info_dir}/METADATA", metadata), (f"{info_dir}/WHEEL", wheel.encode())]
    record = "".join(f"{name},sha256={urlsafe_digest(data)},{len(data)}\n" for name, data in members)
    record += f"{info_dir}/RECORD,,\n"
    members.append((f"{info_dir}/RECORD", record.encode()))
    return DistFile(f"{dist}-{r.version}-{tag}.whl", zip_bytes(members), metadata, r)


def build_sdist(r: Release) -> DistFile:
    base = f"{escaped_name(r.name)}-{r.version}"
    pkg = canonical_name(r.name).replace("-", "_")
    pkg_info = metadata_text(r)
    pyproject = (f'[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
                 f'[project]\nname = "{r.name}"\nversion = "{r.version}"\n').encode()
    members = {f"{base}/PKG-INFO": pkg_info, f"{base}/pyproject.toml": pyproject,
               f"{base}/{pkg}/__init__.py": f'__version__ = "{r.version}"\n'.encode()}
    if r.files_size > 0:
        members[f"{base}/{pkg}/_padding.bin"] = padding(r.files_size, f"{base}.tar.gz")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in sorted(members.items()):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), TAR_MTIME, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=6) as gz:
        gz.write(raw.getvalue())
    return DistFile(f"{base}.tar.gz", out.getvalue(), None, r)


def parse_spec(spec: dict) -> dict[str, tuple[str, list[Release]]]:
    """canonical name → (display name, releases in spec order)."""
    if not isinstance(spec, dict) or not isinstance(spec.get("projects"), dict):
        raise SpecError('the spec needs an object "projects"')
    unknown = set(spec) - {"projects", "roots", "description"}
    if unknown:
        raise SpecError(f"unknown top-level keys: {sorted(unknown)}")
    projects: dict[str, tuple[str, list[Release]]] = {}
    for name, project in spec["projects"].items():
        if canonical_name(name) in projects:
            raise SpecError(f"project {name!r} appears twice (as {projects[canonical_name(name)][0]!r})")
        if not isinstance(project, dict) or set(project) != {"versions"}:
            raise SpecError(f'project {name!r}: expected {{"versions": {{...}}}}')
        releases = []
        for version, fields in project["versions"].items():
            fields = fields or {}
            unknown = set(fields) - VERSION_KEYS
            if unknown:
                raise SpecError(f"{name} {version}: unknown keys {sorted(unknown)}")
            r = Release(name=name, version=version, **fields)
            if not isinstance(r.yanked, (bool, str)) or r.yanked == "":
                raise SpecError(f"{name} {version}: yanked is false, true or a non-empty reason")
            releases.append(r)
        projects[canonical_name(name)] = (name, releases)
    return projects


def distro_files() -> list[DistFile]:
    out = []
    for path in sorted(DISTRO_WHEELS.glob("*.whl")):
        data = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = [n for n in z.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
            if len(names) != 1:
                raise SpecError(f"{path}: expected one .dist-info/METADATA")
            metadata = z.read(names[0])
        headers = HeaderParser().parsestr(metadata.decode("utf-8"))
        release = Release(name=headers["Name"], version=headers["Version"],
                          requires_python=headers.get("Requires-Python"), tags=[])
        out.append(DistFile(path.name, data, metadata, release))
    if not out:
        raise SpecError(f"no wheels in {DISTRO_WHEELS} (install python3-pip-whl, python3-setuptools-whl, "
                        "python3-wheel-whl)")
    return out


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def yanked_json(y: bool | str):
    return y if isinstance(y, str) else bool(y)


def project_json(canonical: str, versions: list[str], files: list[DistFile], with_metadata: bool,
                 api_version: str, legacy_key: bool) -> dict:
    entries = []
    for f in files:
        meta = {"sha256": sha256(f.metadata)} if with_metadata and f.metadata is not None else False
        entry = {"filename": f.filename, "url": f"../../files/{f.filename}", "hashes": {"sha256": sha256(f.data)},
                 "requires-python": f.release.requires_python, "yanked": yanked_json(f.release.yanked),
                 "core-metadata": meta}
        if legacy_key:
            entry["dist-info-metadata"] = meta
        elif meta:
            entry["data-dist-info-metadata"] = meta  # what PyPI writes; pip 23.0 ignores it
        if api_version != "1.0":
            entry["size"] = len(f.data)
        if f.release.upload_time:
            entry["upload-time"] = f.release.upload_time
        entries.append(entry)
    page = {"meta": {"api-version": api_version}, "name": canonical, "files": entries}
    if api_version != "1.0":
        page["versions"] = versions
    return page


def project_html(display: str, files: list[DistFile], with_metadata: bool, api_version: str) -> str:
    e = html.escape
    lines = ["<!DOCTYPE html>", "<html>", "  <head>",
             f'    <meta name="pypi:repository-version" content="{api_version}">',
             f"    <title>Links for {e(display)}</title>", "  </head>", "  <body>",
             f"    <h1>Links for {e(display)}</h1>"]
    for f in files:
        attrs = [f'href="../../files/{e(f.filename)}#sha256={sha256(f.data)}"']
        if f.release.requires_python:
            attrs.append(f'data-requires-python="{e(f.release.requires_python)}"')
        if f.release.yanked:
            reason = f.release.yanked if isinstance(f.release.yanked, str) else ""
            attrs.append(f'data-yanked="{e(reason)}"')
        if with_metadata and f.metadata is not None:
            digest = sha256(f.metadata)
            attrs.append(f'data-dist-info-metadata="sha256={digest}" data-core-metadata="sha256={digest}"')
        lines.append(f"    <a {' '.join(attrs)}>{e(f.filename)}</a><br />")
    lines += ["  </body>", "</html>"]
    return "\n".join(lines) + "\n"


def root_pages(names: dict[str, str]) -> tuple[str, str]:
    order = sorted(names)
    root_json = {"meta": {"api-version": "1.0"}, "projects": [{"name": names[c]} for c in order]}
    lines = ["<!DOCTYPE html>", "<html>", "  <head>", '    <meta name="pypi:repository-version" content="1.0">',
             "    <title>Simple index</title>", "  </head>", "  <body>"]
    lines += [f'    <a href="{c}/">{html.escape(names[c])}</a><br />' for c in order]
    lines += ["  </body>", "</html>"]
    return json.dumps(root_json, indent=1) + "\n", "\n".join(lines) + "\n"


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def build(args) -> None:
    spec = json.loads(Path(args.spec).read_text())
    projects = parse_spec(spec)
    out = Path(args.out)
    with_metadata = not args.no_metadata_files
    by_project: dict[str, list[DistFile]] = {c: [] for c in projects}
    versions: dict[str, list[str]] = {c: [r.version for r in rs] for c, (_, rs) in projects.items()}
    names = {c: display for c, (display, _) in projects.items()}
    for canonical, (_, releases) in projects.items():
        for r in releases:
            by_project[canonical] += [build_wheel(r, tag) for tag in r.tags]
            if r.sdist:
                by_project[canonical].append(build_sdist(r))
    if args.distro_wheels:
        for f in distro_files():
            c = canonical_name(f.release.name)
            names.setdefault(c, f.release.name)
            by_project.setdefault(c, []).append(f)
            if f.release.version not in versions.setdefault(c, []):
                versions[c].append(f.release.version)
    seen: set[str] = set()
    for canonical, files in by_project.items():
        for f in files:
            if f.filename in seen:
                raise SpecError(f"two files named {f.filename}")
            seen.add(f.filename)
            write(out / "files" / f.filename, f.data)
            if with_metadata and f.metadata is not None:
                write(out / "files" / f"{f.filename}.metadata", f.metadata)
        page = project_json(canonical, versions[canonical], files, with_metadata, args.api_version,
                            args.json_dist_info_metadata)
        write(out / "simple" / canonical / "index.json", json.dumps(page, indent=1) + "\n")
        write(out / "simple" / canonical / "index.html",
              project_html(names[canonical], files, with_metadata, args.api_version))
    root_json, root_html = root_pages(names)
    write(out / "simple" / "index.json", root_json)
    write(out / "simple" / "index.html", root_html)


# ---- graph: a generated dependency tree for the benchmark ----

SYLLABLES = ["al", "ba", "cor", "da", "el", "fi", "gor", "ha", "io", "ju", "ka", "lum", "mo", "ne", "ob",
             "pa", "qui", "ro", "si", "tu", "ur", "ve", "wa", "xe", "yo", "za"]


def graph_spec(n: int, seed: int, files_size: int) -> dict:
    rng = random.Random(seed)
    names: list[str] = []
    while len(names) < n:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) + rng.choice(["", "-py", "-core", "lib"])
        if canonical_name(name) not in {canonical_name(x) for x in names}:
            names.append(name)
    # Layers: a few roots, wider in the middle, leaves at the bottom.
    layer_count = 6
    weights = [1, 3, 5, 6, 5, 4]
    total = sum(weights)
    layers: list[list[str]] = []
    start = 0
    for i, w in enumerate(weights):
        size = max(1, round(n * w / total)) if i < layer_count - 1 else n - start
        layers.append(names[start:start + size])
        start += size
    layers = [layer for layer in layers if layer]
    layer_of = {name: i for i, layer in enumerate(layers) for name in layer}

    # Versions: 2..5 releases; the target is the newest final release, or (sometimes) the one before.
    versions: dict[str, list[str]] = {}
    target: dict[str, str] = {}
    for name in names:
        count = rng.randint(2, 5)
        major, minor = rng.randint(0, 3), 0
        vs = []
        for _ in range(count):
            vs.append(f"{major}.{minor}.{rng.randint(0, 3)}")
            if rng.random() < 0.3:
                major, minor = major + 1, 0
            else:
                minor += 1
        versions[name] = vs
        target[name] = vs[-2] if len(vs) > 2 and rng.random() < 0.15 else vs[-1]

    def vkey(v: str) -> tuple[int, ...]:
        return tuple(int(x) for x in v.split("."))

    def constraint(dep: str) -> str:
        """A range over dep's versions that holds dep's target (and may cap what is newer)."""
        vs, t = versions[dep], target[dep]
        at_or_below = [v for v in vs if vkey(v) <= vkey(t)]
        low = rng.choice(at_or_below)
        newer = [v for v in vs if vkey(v) > vkey(t)]
        roll = rng.random()
        if newer and rng.random() < 0.5:
            return f"{dep}>={low},<{newer[0]}"
        if roll < 0.2:
            return f"{dep}~={'.'.join(t.split('.')[:2])}"
        if roll < 0.3:
            return f"{dep}=={t}"
        if roll < 0.5:
            return f"{dep}>={low},<{int(t.split('.')[0]) + 1}"
        if roll < 0.6:
            return f"{dep}!={vs[0]}" if vs[0] != t else dep
        return f"{dep}>={low}"

    # Parents: each non-root project gets at least one parent in a higher layer, so everything is
    # reachable from the roots; then more edges (diamonds).
    deps: dict[str, set[str]] = {name: set() for name in names}
    for i in range(1, len(layers)):
        for child in layers[i]:
            deps[rng.choice(layers[i - 1])].add(child)
    for name in names:
        below = [x for x in names if layer_of[x] > layer_of[name]]
        for _ in range(rng.randint(0, 3) if below else 0):
            deps[name].add(rng.choice(below))

    # Extras: some mid-layer projects offer one; some parents ask for it.
    extras: dict[str, tuple[str, str]] = {}  # project → (extra, dependency)
    for name in names:
        below = [x for x in names if layer_of[x] > layer_of[name]]
        if below and rng.random() < 0.08:
            extras[name] = (rng.choice(["speedups", "socks", "yaml", "cli"]), rng.choice(below))

    spec_projects: dict[str, dict] = {}
    for name in names:
        releases: dict[str, dict] = {}
        ordered = sorted(deps[name])
        for v in versions[name]:
            requires = []
            for dep in ordered:
                if vkey(v) < vkey(target[name]) and rng.random() < 0.2:
                    continue  # older releases needed less
                req = constraint(dep)
                if dep in extras and rng.random() < 0.5:
                    req = req.replace(dep, f"{dep}[{extras[dep][0]}]", 1)
                requires.append(req)
            if name in extras:
                extra, dep = extras[name]
                requires.append(f'{constraint(dep)}; extra == "{extra}"')
            below = [x for x in names if layer_of[x] > layer_of[name]]
            if below and rng.random() < 0.1:
                requires.append(f'{rng.choice(below)}; sys_platform == "win32"')
            if below and rng.random() < 0.1:
                requires.append(f'{rng.choice(below)}; python_version < "3.8"')
            release: dict = {"requires_dist": requires, "requires_python": ">=3.8"}
            if name in extras:
                release["provides_extra"] = [extras[name][0]]
            if rng.random() < 0.05:
                release["tags"] = ["cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
                                   "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64",
                                   "cp311-cp311-win_amd64", "py3-none-any"]
            if files_size:
                release["files_size"] = files_size
            releases[v] = release
        # Now and then a newer yanked release, or a newer pre-release, that no one should pick.
        last = versions[name][-1]
        if rng.random() < 0.05:
            major = int(last.split(".")[0]) + 1
            releases[f"{major}.0.0"] = {"requires_dist": [], "requires_python": ">=3.8", "yanked": "broken build"}
        elif rng.random() < 0.05:
            major = int(last.split(".")[0]) + 1
            releases[f"{major}.0.0rc1"] = {"requires_dist": [], "requires_python": ">=3.8"}
        spec_projects[name] = {"versions": releases}
    return {"description": f"generated by pypi_index.py graph {n} {seed}", "projects": spec_projects,
            "roots": list(layers[0])}


def graph(args) -> None:
    spec = graph_spec(args.n, args.seed, args.files_size)
    Path(args.out).write_text(json.dumps(spec, indent=1) + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pypi_index.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="wheels and a Simple API tree from a JSON spec")
    b.add_argument("spec")
    b.add_argument("out")
    b.add_argument("--no-metadata-files", action="store_true", help="no PEP 658 FILE.metadata files")
    b.add_argument("--distro-wheels", action="store_true", help=f"add {DISTRO_WHEELS}/*.whl")
    b.add_argument("--api-version", choices=["1.0", "1.1"], default="1.1")
    b.add_argument("--json-dist-info-metadata", action="store_true",
                   help='also the pre-PEP 714 JSON key "dist-info-metadata" (pip 23.0 crashes on it)')
    b.set_defaults(run=build)
    g = sub.add_parser("graph", help="a generated dependency-tree spec")
    g.add_argument("n", type=int)
    g.add_argument("seed", type=int)
    g.add_argument("out")
    g.add_argument("--files-size", type=int, default=0, help="padding bytes in every file")
    g.set_defaults(run=graph)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except (SpecError, OSError, json.JSONDecodeError, TypeError) as e:
        print(f"pypi_index.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
