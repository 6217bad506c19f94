#pragma once

// The hostile-bundle corpus (issue 7): every case is a bundle file and what gapbundle must say
// about it. `hostile_corpus OUTDIR` writes it; the integration test runs it through the binary;
// the fuzzers take it as seeds.

#include <filesystem>
#include <string>
#include <vector>

namespace gapbundle::hostile {

struct Case {
    std::string name;
    std::string file;     // the bundle, relative to the corpus folder
    int exit_code = 1;    // of `verify` and of `unpack --to`
    std::string kind;     // the problem kind; empty when it passes
    std::string path;     // the entry the problem line names; empty: the bundle file itself
    std::string message;  // a substring the problem line must hold (may be empty)
    std::string why;      // one line: the attack
    bool store = false;   // also run through `unpack --store`
    std::string setup;    // a destination prepared before unpack: "", "dest_symlink", "planted_symlink"
};

// Writes OUTDIR/signer.pub (the trusted key), OUTDIR/seed.tar (a good bundle of the same channel,
// an older serial, to give the state something to keep), one bundle per case and OUTDIR/cases.json.
std::vector<Case> write_corpus(const std::filesystem::path& out);

}  // namespace gapbundle::hostile
