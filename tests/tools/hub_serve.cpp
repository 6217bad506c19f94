// Runs the loopback Hugging Face Hub of the tests (tests/support/hub_test_server.hpp) until
// stdin closes, for checking it against real clients (tests/tools/hf_js_check.sh) and for the
// demo and the benchmark (scripts/demo.sh, scripts/bench.sh).
//   hub_test_serve [--page-size N] [--big-file-mb N]
// Serves tiny_model_repo() as gapbundle-test/tiny-model, the same repo gated as
// gapbundle-test/gated-model (token hf_gapbundle_test) and tiny_dataset_repo() as
// gapbundle-test/tiny-dataset. With --big-file-mb N (N > 0) it also serves
// gapbundle-test/big-model: .gitattributes and one LFS file, model.safetensors, of N MiB (held in
// memory, as every file here). Prints "HF_ENDPOINT=<url>" on the first line, and when stdin
// closes, a summary of what both hosts saw. An unknown option is an error (exit 2).

#include "support/hub_test_server.hpp"

#include <cstddef>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

// gapbundle-test/big-model: one large LFS file, for measuring downloads.
gapbundle::testing::HubRepo big_model_repo(std::size_t megabytes)
{
    using namespace gapbundle::testing;
    HubRepo repo(HubRepoType::model, "gapbundle-test/big-model");
    repo.add(".gitattributes", "*.safetensors filter=lfs diff=lfs merge=lfs -text\n")
        .add("model.safetensors", safetensors_file(megabytes, 3), HubStorage::lfs);
    return repo;
}

}  // namespace

int main(int argc, char** argv)
{
    using namespace gapbundle::testing;
    HubTestServer server;
    std::size_t big_file_mb = 0;
    for (int i = 1; i < argc; i += 2) {
        const std::string option = argv[i];
        if (i + 1 >= argc || (option != "--page-size" && option != "--big-file-mb")) {
            std::cerr << "usage: hub_test_serve [--page-size N] [--big-file-mb N]\n";
            return 2;
        }
        const std::size_t value = std::stoul(argv[i + 1]);
        if (option == "--page-size")
            server.set_page_size(value);
        else
            big_file_mb = value;
    }
    server.add_repo(tiny_model_repo("gapbundle-test/tiny-model", 2));
    HubRepo gated = tiny_model_repo("gapbundle-test/gated-model", 1);
    gated.access = HubAccess::gated;
    server.add_repo(gated);
    server.add_repo(tiny_dataset_repo("gapbundle-test/tiny-dataset"));
    if (big_file_mb > 0) server.add_repo(big_model_repo(big_file_mb));
    server.set_token("hf_gapbundle_test");
    std::cout << "HF_ENDPOINT=" << server.url() << std::endl;
    std::string line;
    while (std::getline(std::cin, line)) {
    }
    int authorized = 0;
    int ranged = 0;
    const auto storage = server.storage().all_requests();
    for (const auto& request : storage) {
        authorized += request.header("Authorization") ? 1 : 0;
        ranged += request.header("Range") ? 1 : 0;
    }
    std::cout << "hub requests: " << server.hub().all_requests().size() << "\n"
              << "storage requests: " << storage.size() << "\n"
              << "storage requests with Authorization: " << authorized << "\n"
              << "storage requests with Range: " << ranged << std::endl;
    for (const auto& request : server.hub().all_requests())
        std::cout << "  hub " << request.method << " " << request.path << "\n";
    return EXIT_SUCCESS;
}
