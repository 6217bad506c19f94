#pragma once

// `install helm`: every chart of an unpacked bundle's chart repository (DIR/helm) pushed to the
// gap's registry as an OCI artifact, so that `helm pull oci://HOST/[PREFIX/]NAME --version V`
// and `helm install NAME oci://...` work there.

#include <gapbundle/sources/helm/chart_push.hpp>
#include <gapbundle/sources/oci/registry_push.hpp>
#include <gapbundle/util/error.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gapbundle::ops {

struct InstallHelmOptions {
    std::filesystem::path dir;  // the unpacked bundle, or its helm/ folder
    // registry, prefix, connection; credentials as for install images (creds_env, else
    // connection.credentials, else docker's config file, else anonymous).
    sources::oci::PushOptions push;
    std::optional<std::string> creds_env;
    std::function<void(const sources::helm::ChartPushResult&)> on_chart;
};

struct InstallHelmResult {
    std::filesystem::path repository;  // the helm/ folder read
    std::vector<sources::helm::ChartPushResult> charts;
    sources::oci::PushCounts total;
};

// Reads helm/index.yaml, checks every chart file it lists against its digest before pushing
// anything (ErrorCode::verification naming the file: a chart repository changed since unpack
// is not pushed), then pushes the charts in name and version order. ErrorCode::usage when DIR
// holds no chart repository, ErrorCode::network for registry failures.
Result<InstallHelmResult> install_helm(const InstallHelmOptions& options);

}  // namespace gapbundle::ops
