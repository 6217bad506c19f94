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

// An image another kind asks the images kind to carry, as if `images:` listed it.
struct ImageRequest {
    std::string ref;          // any reference the parser reads; the default platform
    std::string asked_by;     // "helm[0] redis 18.6.4": the origin of its blobs, and in its component
    bool helm_chart = false;  // an OCI Helm chart: carried in the layout, with no image component
};

struct ResolveContext {
    const manifest::Manifest& manifest;
    net::HttpEngine& http;
    store::Store& store;
    net::ProgressCallback progress = {};  // for the downloads resolving needs
    FetchStats* stats = nullptr;          // counts those downloads when given
    // Filled by the kinds that run before "images" (helm), read by it.
    std::vector<ImageRequest> image_requests = {};
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
