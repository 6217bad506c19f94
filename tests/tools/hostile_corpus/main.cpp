// hostile_corpus OUTDIR: writes the hostile-bundle corpus (see docs/bundle-format.md).
#include "corpus.hpp"

#include <cstdio>
#include <exception>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: hostile_corpus OUTDIR\n");
        return 2;
    }
    try {
        const auto cases = gapbundle::hostile::write_corpus(argv[1]);
        std::printf("%zu cases in %s/cases.json\n", cases.size(), argv[1]);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "hostile_corpus: error: %s\n", e.what());
        return 4;
    }
    return 0;
}
