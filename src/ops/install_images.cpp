#include <gapbundle/ops/install_images.hpp>

#include <gapbundle/sources/oci/docker_config.hpp>
#include <gapbundle/sources/oci/layout_reader.hpp>

#include <cstdlib>

namespace gapbundle::ops {

namespace {

Result<std::string> environment_variable(const std::string& name)
{
    const char* value = std::getenv(name.c_str());
    if (!value) return fail(ErrorCode::usage, "--creds-env: environment variable " + name + " is not set");
    return std::string(value);
}

Result<InstallImagesResult> push(const InstallImagesOptions& options)
{
    InstallImagesResult result;
    result.target = ImageTarget::registry;
    auto layout = sources::oci::LayoutReader::open(options.dir);
    if (!layout) return std::unexpected(layout.error());
    result.layout = layout->root();
    auto images = layout->select(options.refs);
    if (!images) return std::unexpected(images.error());
    sources::oci::PushOptions push = options.push;
    auto credentials = push_credentials(options.creds_env, options.push.connection.credentials, options.push.registry);
    if (!credentials) return std::unexpected(credentials.error());
    push.connection.credentials = std::move(*credentials);
    auto pushed = sources::oci::push_images(*layout, *images, push, options.on_image);
    if (!pushed) return std::unexpected(pushed.error());
    result.push = std::move(*pushed);
    return result;
}

Result<InstallImagesResult> write_archive(const InstallImagesOptions& options)
{
    InstallImagesResult result;
    result.target = ImageTarget::archive;
    auto layout = sources::oci::LayoutReader::open(options.dir);
    if (!layout) return std::unexpected(layout.error());
    result.layout = layout->root();
    sources::oci::ArchiveOptions archive;
    archive.refs = options.refs;
    archive.platform = options.archive_platform;
    auto written = sources::oci::write_image_archive(*layout, options.archive, archive);
    if (!written) return std::unexpected(written.error());
    result.archive = *written;
    return result;
}

}  // namespace

Result<net::Credentials> credentials_from_env(std::string_view spec)
{
    const auto colon = spec.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == spec.size())
        return fail(ErrorCode::usage, "--creds-env '" + std::string(spec) + "': expected USER_ENV:PASS_ENV");
    auto user = environment_variable(std::string(spec.substr(0, colon)));
    if (!user) return std::unexpected(user.error());
    auto password = environment_variable(std::string(spec.substr(colon + 1)));
    if (!password) return std::unexpected(password.error());
    return net::Credentials{net::Credentials::Kind::basic, std::move(*user), std::move(*password)};
}

Result<net::Credentials> push_credentials(const std::optional<std::string>& creds_env, const net::Credentials& given,
                                          const std::string& registry)
{
    if (creds_env) return credentials_from_env(*creds_env);
    if (given.kind != net::Credentials::Kind::none) return given;
    auto stored = sources::oci::docker_config_credentials(registry);
    if (!stored) return std::unexpected(stored.error());
    return stored->value_or(net::Credentials{});
}

Result<InstallImagesResult> install_images(const InstallImagesOptions& options)
{
    return options.target == ImageTarget::registry ? push(options) : write_archive(options);
}

}  // namespace gapbundle::ops
