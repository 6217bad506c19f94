// Runs the loopback Hugging Face Hub of the tests (tests/support/hub_test_server.hpp) until
// stdin closes, for checking it against real clients (tests/tools/hf_js_check.sh).
//   hub_test_serve [--page-size N]
// Serves tiny_model_repo() as gapbundle-test/tiny-model, the same repo gated as
// gapbundle-test/gated-model (token hf_gapbundle_test) and tiny_dataset_repo() as
// gapbundle-test/tiny-dataset. Prints "HF_ENDPOINT=<url>" on the first line, and when stdin
// closes, a summary of what both hosts saw.

#include "support/hub_test_server.hpp"

#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv)
{
    using namespace gapbundle::testing;
    HubTestServer server;
    for (int i = 1; i + 1 < argc; i += 2)
        if (std::string(argv[i]) == "--page-size") server.set_page_size(std::stoul(argv[i + 1]));
    server.add_repo(tiny_model_repo("gapbundle-test/tiny-model", 2));
    HubRepo gated = tiny_model_repo("gapbundle-test/gated-model", 1);
    gated.access = HubAccess::gated;
    server.add_repo(gated);
    server.add_repo(tiny_dataset_repo("gapbundle-test/tiny-dataset"));
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
