"""Builds a conda channel from a JSON spec: real packages made with conda-package-handling (.conda,
zstd level 3 to keep it quick), and each subdir's repodata.json and repodata.json.zst.
Usage: /usr/bin/python3 conda_channel.py SPEC.json OUT_DIR"""
import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile

from conda_package_handling import api


def build(spec_file, out):
    packages = json.load(open(spec_file))["packages"]
    repodata = {}
    for subdir in {"noarch", *(p["subdir"] for p in packages)}:
        (out / subdir).mkdir(parents=True, exist_ok=True)
        repodata[subdir] = {"info": {"subdir": subdir}, "packages": {}, "packages.conda": {},
                            "removed": [], "repodata_version": 1}
    with tempfile.TemporaryDirectory() as scratch:
        for p in packages:
            record = {"name": p["name"], "version": p["version"], "build": p["build"], "build_number": 0,
                      "depends": p.get("depends", []), "constrains": [], "subdir": p["subdir"],
                      "timestamp": 1700000000000, "license": "MIT"}
            if p["subdir"] == "noarch":
                record["noarch"] = "python"
            tree = pathlib.Path(scratch) / f"{p['name']}-{p['version']}"
            (tree / "info").mkdir(parents=True)
            (tree / "info" / "index.json").write_text(json.dumps(record))
            (tree / "share" / p["name"]).mkdir(parents=True)
            (tree / "share" / p["name"] / "README").write_text(f"{p['name']} {p['version']}\n")
            filename = f"{p['name']}-{p['version']}-{p['build']}.conda"
            api.create(str(tree), None, filename, str(out / p["subdir"]),
                       compression_tuple=(".tar.zst", "zstd", "zstd:compression-level=3"))
            data = (out / p["subdir"] / filename).read_bytes()
            record.update(size=len(data), sha256=hashlib.sha256(data).hexdigest(), md5=hashlib.md5(data).hexdigest())
            repodata[p["subdir"]]["packages.conda"][filename] = record
    for subdir, doc in repodata.items():
        path = out / subdir / "repodata.json"
        path.write_text(json.dumps(doc, indent=1, sort_keys=True))
        subprocess.run(["zstd", "-q", "-f", "-19", str(path), "-o", f"{path}.zst"], check=True)


if __name__ == "__main__":
    build(sys.argv[1], pathlib.Path(sys.argv[2]))
