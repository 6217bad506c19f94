#include <gapbundle/ops/install_helm.hpp>

#include <gapbundle/crypto/sha256.hpp>
#include <gapbundle/ops/install_images.hpp>
#include <gapbundle/sources/helm/chart_index.hpp>
#include <gapbundle/util/fs.hpp>

namespace gapbundle::ops {

namespace {

namespace helm = sources::helm;

constexpr std::uint64_t k_max_index_bytes = 64ull << 20;

struct ChartFiles {
    std::filesystem::path archive;
    std::optional<std::filesystem::path> provenance;
};

// DIR/helm, or DIR itself when it is the chart repository.
Result<std::filesystem::path> repository_folder(const std::filesystem::path& dir)
{
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / "helm" / "index.yaml", ec)) return dir / "helm";
    if (std::filesystem::is_regular_file(dir / "index.yaml", ec)) return dir;
    return fail(ErrorCode::usage, dir.string() + ": no helm/index.yaml (is it an unpacked bundle with charts?)");
}

// Every chart the index lists, each file checked against the index's digest.
Result<std::vector<ChartFiles>> checked_charts(const std::filesystem::path& folder)
{
    const auto index_file = folder / "index.yaml";
    auto text = fs::read_small_file(index_file, k_max_index_bytes);
    if (!text) return std::unexpected(text.error());
    auto index = helm::parse_chart_index(*text, index_file.string());
    if (!index) return std::unexpected(Error{ErrorCode::verification, index.error().message});
    std::vector<ChartFiles> charts;
    for (const auto& [name, versions] : index->entries) {
        for (const auto& chart : versions) {
            const std::string& file = chart.urls.front();
            const std::string where = index_file.string() + ": " + name + " " + chart.version;
            if (file.find('/') != std::string::npos || file.find(':') != std::string::npos || file == ".." || file == ".")
                return fail(ErrorCode::verification, where + ": '" + file + "' is not a file beside index.yaml");
            if (chart.digest.empty()) return fail(ErrorCode::verification, where + ": no digest");
            const auto archive = folder / file;
            auto digest = crypto::sha256_file(archive);
            if (!digest) return std::unexpected(digest.error().context(where));
            if (digest->sha256 != chart.digest)
                return fail(ErrorCode::verification, archive.string() + ": sha256 " + digest->sha256 +
                                                         ", but index.yaml says " + chart.digest);
            ChartFiles files{archive, std::nullopt};
            std::error_code ec;
            if (std::filesystem::is_regular_file(folder / (file + ".prov"), ec)) files.provenance = folder / (file + ".prov");
            charts.push_back(std::move(files));
        }
    }
    return charts;
}

}  // namespace

Result<InstallHelmResult> install_helm(const InstallHelmOptions& options)
{
    auto folder = repository_folder(options.dir);
    if (!folder) return std::unexpected(folder.error());
    auto charts = checked_charts(*folder);
    if (!charts) return std::unexpected(charts.error());
    sources::oci::PushOptions push = options.push;
    auto credentials = push_credentials(options.creds_env, options.push.connection.credentials, options.push.registry);
    if (!credentials) return std::unexpected(credentials.error());
    push.connection.credentials = std::move(*credentials);

    InstallHelmResult result;
    result.repository = *folder;
    for (const auto& chart : *charts) {
        auto pushed = helm::push_chart(chart.archive, chart.provenance, push);
        if (!pushed) return std::unexpected(pushed.error());
        if (options.on_chart) options.on_chart(*pushed);
        result.total += pushed->counts;
        result.charts.push_back(std::move(*pushed));
    }
    return result;
}

}  // namespace gapbundle::ops
