#include <gapbundle/sources/conda.hpp>

#include "../inline_artifact.hpp"
#include "../store_download.hpp"

#include <gapbundle/crypto/md5.hpp>
#include <gapbundle/sources/conda/channel_client.hpp>
#include <gapbundle/sources/conda/explicit_lock.hpp>
#include <gapbundle/sources/conda/local_channel.hpp>
#include <gapbundle/sources/conda/solver.hpp>
#include <gapbundle/util/fs.hpp>
#include <gapbundle/util/text.hpp>

#include <algorithm>
#include <map>
#include <tuple>

namespace gapbundle::sources {

namespace {

using conda::RepodataRecord;
using manifest::LockedArtifact;

constexpr std::string_view k_kind = "conda";
constexpr std::string_view k_lock_path = "conda/environment.lock.txt";

// conda's `defaults` on a non-Windows target (conda's DEFAULT_CHANNELS_UNIX).
constexpr std::array<std::string_view, 2> k_defaults{"https://repo.anaconda.com/pkgs/main",
                                                     "https://repo.anaconda.com/pkgs/r"};

struct Channel {
    std::string url;   // channel_url(): no trailing '/'
    std::string name;  // its folder in the bundle
    std::string where; // the manifest line that named it
};

struct Carried {
    RepodataRecord record;  // with sha256 and size known
    std::string url;        // where the file is downloaded from
};

std::string bundle_path(const Channel& channel, const RepodataRecord& record)
{
    return "conda/" + channel.name + "/" + record.subdir + "/" + record.filename;
}

class CondaResolver {
public:
    CondaResolver(ResolveContext& context, const manifest::CondaSpec& spec) : m_context(context), m_spec(spec) {}

    Result<KindResolution> run()
    {
        if (auto st = gather_channels(); !st) return std::unexpected(st.error());
        conda::SolveRequest request;
        for (const auto& channel : m_channels) request.channels.push_back(channel.url);
        request.virtual_packages = m_spec.virtual_packages;
        auto specs = parse_specs();
        if (!specs) return std::unexpected(specs.error());
        request.specs = std::move(*specs);
        if (auto virtuals = conda::virtual_records(request.virtual_packages); !virtuals)
            return std::unexpected(virtuals.error().context(m_context.manifest.location(m_spec.mark) + ": conda"));

        auto candidates = fetch_candidates();
        if (!candidates) return std::unexpected(candidates.error());
        auto solution = conda::solve(request, *candidates);
        if (!solution) return std::unexpected(solution.error().context(m_context.manifest.location(m_spec.mark) + ": conda"));
        auto carried = carry(solution->records);
        if (!carried) return std::unexpected(carried.error());
        return finish(*carried, request.specs);
    }

private:
    Status gather_channels()
    {
        std::map<std::string, const Channel*> by_name;
        for (const auto& line : m_spec.channels) {
            std::vector<std::string> urls;
            if (line.text == "defaults")
                urls.assign(k_defaults.begin(), k_defaults.end());
            else
                urls.push_back(conda::channel_url(line.text));
            for (auto& url : urls) {
                Channel channel{url, conda::channel_name(url), m_context.manifest.location(line.mark)};
                if (std::ranges::any_of(m_channels, [&](const Channel& known) { return known.url == url; })) continue;
                if (auto clash = std::ranges::find(m_channels, channel.name, &Channel::name); clash != m_channels.end())
                    return fail(ErrorCode::manifest,
                                channel.where + ": conda: channels " + text::redact_url(clash->url) + " and " +
                                    text::redact_url(url) + " would both be carried as conda/" + channel.name +
                                    "/; list one of them");
                m_channels.push_back(std::move(channel));
            }
        }
        return {};
    }

    Result<std::vector<conda::MatchSpec>> parse_specs() const
    {
        std::vector<conda::MatchSpec> specs;
        for (const auto& line : m_spec.specs) {
            const std::string where = m_context.manifest.location(line.mark) + ": conda: specs";
            auto spec = conda::MatchSpec::parse(line.text);
            if (!spec) return std::unexpected(spec.error().context(where));
            if (!spec->channel().empty() && std::ranges::none_of(m_channels, [&](const Channel& channel) {
                    return spec->channel_matches(channel.url);
                }))
                return fail(ErrorCode::manifest, where + ": '" + line.text + "' names channel '" + spec->channel() +
                                                     "', which is not among conda: channels");
            specs.push_back(std::move(*spec));
        }
        return specs;
    }

    // Every record of every channel and subdir; a channel without the platform subdir has none there.
    Result<std::vector<RepodataRecord>> fetch_candidates()
    {
        std::vector<RepodataRecord> candidates;
        for (const auto& channel : m_channels) {
            for (const auto& subdir : m_spec.subdirs) {
                conda::ChannelFetch fetch{channel.url, subdir, &m_context.store, {}, m_context.http.options(),
                                          subdir != "noarch"};
                auto repodata = conda::fetch_repodata(fetch);
                if (!repodata) return std::unexpected(repodata.error().context(channel.where + ": conda"));
                if (!repodata->base_url.empty() && !manifest::is_remote_url(repodata->base_url))
                    return fail(ErrorCode::download, channel.where + ": conda: " + text::redact_url(channel.url) + "/" +
                                                         subdir + "/repodata.json: base_url '" + repodata->base_url +
                                                         "' is not an absolute http(s) URL");
                std::string base = repodata->base_url.empty() ? channel.url + "/" + subdir : repodata->base_url;
                while (base.ends_with('/')) base.pop_back();
                m_base_urls[{channel.url, subdir}] = std::move(base);
                // A record must sit in the subdir it names (as conda-index requires): its URL and
                // its folder in the bundle come from it.
                std::erase_if(repodata->records, [&](const RepodataRecord& record) { return record.subdir != subdir; });
                if (candidates.empty()) {
                    candidates = std::move(repodata->records);
                } else {
                    candidates.insert(candidates.end(), std::make_move_iterator(repodata->records.begin()),
                                      std::make_move_iterator(repodata->records.end()));
                }
            }
        }
        return candidates;
    }

    // The solution's files with sha256 and size known: from the repodata when it gives both,
    // else downloaded now (checked against its md5 when that is all the channel gives).
    Result<std::vector<Carried>> carry(const std::vector<RepodataRecord>& records)
    {
        std::vector<Carried> carried;
        std::vector<net::DownloadRequest> requests;
        std::vector<std::size_t> waiting;
        for (const auto& record : records) {
            if (record.filename.find('/') != std::string::npos || !fs::check_relative_path(record.filename))
                return fail(ErrorCode::download, "conda: the channel names a file '" + record.filename +
                                                     "', which is not a plain file name");
            carried.push_back({record, m_base_urls.at({record.channel, record.subdir}) + "/" + record.filename});
            if (!record.sha256.empty() && record.size != 0) continue;
            if (!record.sha256.empty() && m_context.store.contains(record.sha256)) {
                std::error_code ec;
                carried.back().record.size = std::filesystem::file_size(m_context.store.blob_path(record.sha256), ec);
                if (!ec) continue;
            }
            if (record.sha256.empty() && record.md5.empty())
                return fail(ErrorCode::download, "conda: the channel gives no sha256 or md5 for " + record.filename +
                                                     "; gapbundle carries nothing it cannot check");
            net::DownloadRequest request;
            request.url = carried.back().url;
            request.destination = m_context.store.temp_path(record.filename);
            if (!record.sha256.empty()) request.expected_sha256 = record.sha256;
            request.label = "conda: " + record.filename;
            requests.push_back(std::move(request));
            waiting.push_back(carried.size() - 1);
        }
        if (requests.empty()) return carried;
        auto outcome = detail::download_while_resolving(requests, m_context);
        for (std::size_t i = 0; i < outcome.size(); ++i) {
            if (!outcome[i]) return std::unexpected(outcome[i].error());
            auto& record = carried[waiting[i]].record;
            if (record.sha256.empty()) {
                auto md5 = crypto::md5_file_hex(m_context.store.blob_path(outcome[i]->sha256));
                if (!md5) return std::unexpected(md5.error());
                if (!text::iequals(*md5, record.md5))
                    return fail(ErrorCode::download, text::redact_url(carried[waiting[i]].url) + ": md5 " + *md5 +
                                                         ", but the channel's repodata says " + record.md5);
            }
            record.sha256 = outcome[i]->sha256;
            record.size = outcome[i]->bytes;
        }
        return carried;
    }

    const Channel& channel_of(const RepodataRecord& record) const
    {
        return *std::ranges::find(m_channels, record.channel, &Channel::url);
    }

    Result<KindResolution> finish(const std::vector<Carried>& carried, const std::vector<conda::MatchSpec>& specs) const;

    ResolveContext& m_context;
    const manifest::CondaSpec& m_spec;
    std::vector<Channel> m_channels;  // highest priority first
    // Where a channel-subdir's files are: CHANNEL/SUBDIR, or the repodata's base_url.
    std::map<std::pair<std::string, std::string>, std::string> m_base_urls;
};

manifest::Component component_of(const Carried& file, const std::string& path, const std::vector<Carried>& carried,
                                 const std::vector<conda::MatchSpec>& specs)
{
    const auto& record = file.record;
    manifest::Component component{std::string(k_kind), record.name, record.version.text(), {path}, {}, {}, {}};
    for (const auto& spec : specs)
        if (spec.name() == record.name) component.requested.push_back(spec.text());
    for (const auto& depends : record.depends) {
        auto spec = conda::MatchSpec::parse(depends);
        if (!spec) continue;
        if (std::ranges::any_of(carried, [&](const Carried& other) { return other.record.name == spec->name(); }))
            component.dependencies.push_back({spec->name(), depends});
    }
    manifest::normalise(component);
    return component;
}

Result<KindResolution> CondaResolver::finish(const std::vector<Carried>& carried,
                                            const std::vector<conda::MatchSpec>& specs) const
{
    KindResolution out;
    std::map<std::string, std::map<std::string, std::vector<RepodataRecord>>> by_channel;  // name -> subdir -> records
    std::vector<RepodataRecord> records;
    for (const auto& file : carried) {
        const Channel& channel = channel_of(file.record);
        const std::string path = bundle_path(channel, file.record);
        LockedArtifact artifact;
        artifact.kind = std::string(k_kind);
        artifact.bundle_path = path;
        artifact.url = file.url;
        artifact.size = file.record.size;
        artifact.sha256 = file.record.sha256;
        artifact.mode = 0644;
        artifact.origin = std::string(k_kind);
        out.artifacts.push_back(std::move(artifact));
        out.components.push_back(component_of(file, path, carried, specs));
        by_channel[channel.name][file.record.subdir].push_back(file.record);
        records.push_back(file.record);
    }

    for (auto& [name, subdirs] : by_channel) {
        for (const auto& subdir : m_spec.subdirs) {
            const auto& listed = subdirs[subdir];
            out.artifacts.push_back(detail::inline_artifact(std::string(k_kind),
                                                            "conda/" + name + "/" + subdir + "/repodata.json",
                                                            conda::local_repodata_json(subdir, listed), std::string(k_kind)));
        }
    }
    const std::string header = "# Every conda package gapbundle solved for " + m_spec.subdirs.front() +
                               ", pinned with its sha256. From the unpacked bundle's folder:\n"
                               "#   conda create -n NAME --offline --file " + std::string(k_lock_path) + "\n"
                               "# platform: " + m_spec.subdirs.front() + "\n";
    out.artifacts.push_back(detail::inline_artifact(
        std::string(k_kind), std::string(k_lock_path),
        conda::explicit_lock(records, header, [&](const RepodataRecord& record) {
            return bundle_path(channel_of(record), record);
        }),
        std::string(k_kind)));
    std::ranges::sort(out.artifacts, {}, &LockedArtifact::bundle_path);
    return out;
}

class CondaKind final : public SourceKind {
public:
    [[nodiscard]] std::string_view name() const override { return k_kind; }

    Result<KindResolution> resolve(ResolveContext& context) override
    {
        if (!context.manifest.conda) return KindResolution{};
        CondaResolver resolver(context, *context.manifest.conda);
        return resolver.run();
    }
};

}  // namespace

std::unique_ptr<SourceKind> make_conda_kind()
{
    return std::make_unique<CondaKind>();
}

}  // namespace gapbundle::sources
