#pragma once

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/manifest/lock.hpp>
#include <gapbundle/manifest/manifest.hpp>
#include <gapbundle/util/time.hpp>

namespace gapbundle::ops {

// The signed index for a lock: its artifacts, the folders above them and gapbundle/SHA256SUMS.
// `created` is the build time; serial and expiry come from the manifest (serial defaults to
// the build time as YYYYMMDDhhmmss).
struct PlannedBundle {
    bundle::Index index;
};
Result<PlannedBundle> plan_bundle(const manifest::Manifest& manifest, const manifest::Lock& lock,
                                  time::Seconds created);

}  // namespace gapbundle::ops
