#pragma once

// `install images`: the images of an unpacked bundle's OCI layout into the gap's registry, or
// into a tar that `docker load` and `ctr images import` read.

#include <gapbundle/sources/oci/image_archive.hpp>
#include <gapbundle/sources/oci/registry_push.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gapbundle::ops {

enum class ImageTarget { registry, archive };

struct InstallImagesOptions {
    std::filesystem::path dir;      // the layout, or an unpacked bundle whose oci/ is one
    std::vector<std::string> refs;  // which images; empty = all
    ImageTarget target = ImageTarget::registry;

    // registry: push.registry, prefix, connection (insecure, engine) and chunking. Credentials
    // come from creds_env when given ("USER_ENV:PASS_ENV", both must be set), else from
    // connection.credentials when set, else from the docker config file when one names the
    // registry, else none (anonymous).
    sources::oci::PushOptions push;
    std::optional<std::string> creds_env;
    sources::oci::ImagePushedCallback on_image;

    // archive
    std::filesystem::path archive;
    std::string archive_platform = "linux/amd64";  // what manifest.json describes for a multi-arch image
};

struct InstallImagesResult {
    ImageTarget target = ImageTarget::registry;
    std::filesystem::path layout;         // the layout folder that was read
    sources::oci::PushResult push;        // registry
    sources::oci::ArchiveResult archive;  // archive
};

// Errors: ErrorCode::usage for bad options (an unset --creds-env variable, a bad --prefix or
// --ref), ErrorCode::verification for a bad layout, ErrorCode::network for registry failures,
// ErrorCode::io when the archive cannot be written.
Result<InstallImagesResult> install_images(const InstallImagesOptions& options);

// The credentials for pushing to `registry`: those creds_env ("USER_ENV:PASS_ENV") names when
// given, else `given` when set, else docker's config file's for the registry, else none.
Result<net::Credentials> push_credentials(const std::optional<std::string>& creds_env, const net::Credentials& given,
                                          const std::string& registry);

// The credentials "USER_ENV:PASS_ENV" names, read from the environment.
Result<net::Credentials> credentials_from_env(std::string_view spec);

}  // namespace gapbundle::ops
