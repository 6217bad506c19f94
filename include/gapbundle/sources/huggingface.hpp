#pragma once

#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/net/http_engine.hpp>
#include <gapbundle/sources/source_kind.hpp>

#include <memory>
#include <string_view>

namespace gapbundle::sources {

// The "huggingface" kind: repositories of the Hugging Face Hub at a pinned commit, carried as a
// hub cache under hf/hub/ in the bundle (docs/bundle-format.md).
std::unique_ptr<SourceKind> make_huggingface_kind();

// The Hub endpoint the manifest's section means: HF_ENDPOINT, else its `endpoint`.
std::string hf_endpoint_for(const manifest::Manifest& manifest);

// The credentials a download of a huggingface artifact from `url` gets: the Hub token (HF_TOKEN
// or huggingface_hub's token file) when `url` has the endpoint's origin; none otherwise, and
// never after a redirect to another host.
Result<net::Credentials> hf_credentials_for(const manifest::Manifest& manifest, std::string_view url);

}  // namespace gapbundle::sources
