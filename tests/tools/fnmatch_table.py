#!/usr/bin/env python3
"""Prints the fnmatch table of tests/unit/hf/patterns_test.cpp, with CPython as the oracle.

Each pattern is paired with every name it matches and the six most similar names it does not
match; the expected value is fnmatch.fnmatchcase(name, pattern), what huggingface_hub's
filter_repo_objects calls. Paste the output over the table in the test.
"""
import difflib
import fnmatch
import sys

pats = ["*.json", "data/*.json", "*", "?", "??", "a?c", "*.safetensors", "tokenizer*", "original/*",
        "[abc]*", "[!abc]*", "[a-c]x", "[!a-c]x", "[]]", "[!]]", "[]a]", "[!]a]", "[", "[a", "a[", "[!", "[!]",
        "[a-]", "[-a]", "[!-a]", "[a-c-e]", "[b-a]", "[!b-a]", "[b-a!]", "[b-a!x]", "[--a]", "[a--b]",
        "[^a]", "[\\]", "[\\-a]", "[a&&b]", "[a||b]", "[~~]", "*/*", "**/*.bin", "*.bin", "model-0000?-of-00002.safetensors",
        "onnx/*", "*[0-9].txt", "\\*", "a\\b", "[[]", "[*]", "[?]", "[]-a]", "[!]-a]", "é*", "[é]", "?x", "*a*b*c*",
        ".*", "*.", "a*", "*a", "[a-z]*[0-9]", "[z-a]bc", "x[!/]y", "x[/]y", "[a-cx-z]", "[c-ax-z]", "[a-c-]", "[!a-c-]",
        "[a-a]", "[!a-a]", "[a-ab]", "[b-ac-c]"]
names = ["config.json", "data/a.json", "data/a/b.json", "a", "ab", "abc", "aXc", "a/c", "a.json", ".json", "",
         "model.safetensors", "tokenizer.json", "tokenizer_config.json", "original/params.json", "x", "bx", "dx", "]",
         "[", "[a", "a[", "[!", "-", "!", "^", "\\", "&", "|", "~", "*", "?", "onnx/model.onnx", "file1.txt", "file.txt",
         "b", "c", "d", "e", "é", "éa", "ée", "x/y", "xay", "x/bin/a.bin", "sub/dir/.git", "model-00001-of-00002.safetensors",
         "axbyc", "acb", "y", "z", "A.JSON", "CONFIG.json", "a.bin", "]x", "!x", "-x", ".hidden", "abc1", "a-"]
rows = []
for p in pats:
    yes = [n for n in names if fnmatch.fnmatchcase(n, p)]
    no = [n for n in names if not fnmatch.fnmatchcase(n, p)]
    no.sort(key=lambda n: (-difflib.SequenceMatcher(None, p, n).ratio(), n))
    for n in names:
        if n in yes or n in no[:6]:
            rows.append((p, n, n in yes))


def cstr(s):
    out = '"'
    for ch in s:
        if ch == "\\":
            out += "\\\\"
        elif ch == '"':
            out += '\\"'
        elif ord(ch) < 128:
            out += ch
        else:
            out += "\\u%04x" % ord(ch)
    return out + '"'


print("// Generated with CPython %s: fnmatch.fnmatchcase(name, pattern) for every pair." % sys.version.split()[0])
print("const std::vector<FnmatchCase> k_fnmatch_table = {")
for p, n, r in rows:
    print("    {%s, %s, %s}," % (cstr(p), cstr(n), "true" if r else "false"))
print("};")
