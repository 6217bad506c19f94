#!/usr/bin/env bash
# Keeps scripts/bench.sh working: its core scenarios on a tiny payload and conda-solve on a
# 2,000-record channel, one pair each, with the binary under test. Checks that every scenario ran
# and the JSON holds its figures; never a time.
source "$(dirname "$0")/common.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
bash "$root/scripts/bench.sh" --only core,conda --size-mb 12 --conda-records 2000 --runs 1 --bin "$bin" --json "$work/bench.json" \
  >"$work/bench.out" 2>"$work/bench.err" || { cat "$work/bench.out" "$work/bench.err" >&2; fail "bench.sh failed"; }
python3 - "$work/bench.json" <<'PY' || fail "bench.json lacks a scenario or a figure"
import json, sys
report = json.load(open(sys.argv[1]))
expected = ["pack-none", "pack-zstd", "verify-none", "verify-zstd", "verify-manual", "unpack",
            "unpack-sync",
            "small-verify", "download-64", "second-pack"]
for name in expected:
    s = report[name]
    assert s["gapbundle_median_s"] > 0 and s["reference_median_s"] > 0 and s["peak_rss_mb"] > 0, name
    assert len(s["ratios"]) == 1, name
    assert (s["bar"] is None) == (name == "unpack-sync"), name  # unpack-sync is there for comparison
assert report["core"]["conda"]["files"] >= 100 and report["core"]["downloads"]["files"] == 64
conda = report["conda-solve"]
assert conda["gapbundle_median_s"] > 0 and conda["reference_median_s"] > 0 and conda["peak_rss_mb"] > 0
assert conda["absolute_bar_s"] == 5.0 and isinstance(conda["meets_bar"], bool)
assert conda["records"] == 2000 and conda["packages_solved"] > len(conda["specs"]), conda
PY
grep -q "^conda-solve: 2000 records in linux-64, [0-9]* packages solved" "$work/bench.out" || fail "no conda-solve line"
grep -q "^second pack of the same manifest downloaded 0 bytes" "$work/bench.out" || fail "the second pack downloaded something"
echo "bench smoke: every core scenario and conda-solve ran"
