#pragma once

#include <gapbundle/manifest/lock.hpp>
#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/sources/fetch.hpp>
#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/store/store.hpp>
#include <gapbundle/util/error.hpp>

#include <memory>
#include <string_view>
#include <vector>

namespace gapbundle::sources {

struct ResolveContext {
    const manifest::Manifest& manifest;
    net::HttpEngine& http;
    store::Store& store;
    net::ProgressCallback progress = {};  // for the downloads resolving needs
    FetchStats* stats = nullptr;          // counts those downloads when given
};

// What a kind resolved its part of the manifest to.
struct KindResolution {
    std::vector<manifest::LockedArtifact> artifacts;
    std::vector<manifest::Component> components;  // what a resolver chose, for audits (may be empty)
};

// One ecosystem: turns its part of the manifest into exact artifacts.
class SourceKind {
public:
    virtual ~SourceKind() = default;
    [[nodiscard]] virtual std::string_view name() const = 0;
    virtual Result<KindResolution> resolve(ResolveContext& context) = 0;
};

// Every kind this build supports, in a fixed order.
std::vector<std::unique_ptr<SourceKind>> all_kinds();

}  // namespace gapbundle::sources
