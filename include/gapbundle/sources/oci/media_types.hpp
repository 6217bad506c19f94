#pragma once

#include <string_view>

// Media types of the OCI image spec, the Docker image manifest v2 schema 2 and Helm charts.
namespace gapbundle::sources::oci::media_types {

// OCI image spec v1.1.
inline constexpr std::string_view k_oci_index = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view k_oci_manifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view k_oci_config = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view k_oci_layer_tar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view k_oci_layer_gzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view k_oci_layer_zstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view k_oci_layer_nondistributable_tar =
    "application/vnd.oci.image.layer.nondistributable.v1.tar";
inline constexpr std::string_view k_oci_layer_nondistributable_gzip =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
inline constexpr std::string_view k_oci_layer_nondistributable_zstd =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
inline constexpr std::string_view k_oci_empty = "application/vnd.oci.empty.v1+json";

// Docker image manifest v2, schema 2.
inline constexpr std::string_view k_docker_manifest_list = "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view k_docker_manifest = "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view k_docker_config = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view k_docker_layer_gzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr std::string_view k_docker_foreign_layer_gzip =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

// Helm charts stored as OCI artifacts.
inline constexpr std::string_view k_helm_chart_config = "application/vnd.cncf.helm.config.v1+json";
inline constexpr std::string_view k_helm_chart_content = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
inline constexpr std::string_view k_helm_chart_provenance = "application/vnd.cncf.helm.chart.provenance.v1.prov";

// The Accept header for GET/HEAD /v2/<name>/manifests/<ref>: every index and image manifest type we
// handle, OCI first. What is listed here can change what a tag resolves to, so keep it stable.
inline constexpr std::string_view k_manifest_accept =
    "application/vnd.oci.image.index.v1+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.docker.distribution.manifest.v2+json";

// The annotation BuildKit puts on attestation manifests in an index, and its value.
inline constexpr std::string_view k_docker_reference_type_annotation = "vnd.docker.reference.type";
inline constexpr std::string_view k_attestation_manifest = "attestation-manifest";

// An image index / manifest list (as opposed to a single-platform manifest).
constexpr bool is_index(std::string_view media_type)
{
    return media_type == k_oci_index || media_type == k_docker_manifest_list;
}

// A single-platform image manifest.
constexpr bool is_image_manifest(std::string_view media_type)
{
    return media_type == k_oci_manifest || media_type == k_docker_manifest;
}

}  // namespace gapbundle::sources::oci::media_types
