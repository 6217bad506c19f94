#include "commands.hpp"
#include "engine_flags.hpp"
#include "output.hpp"

#include <gapbundle/ops/audit.hpp>
#include <gapbundle/ops/check.hpp>
#include <gapbundle/ops/install_helm.hpp>
#include <gapbundle/ops/install_hf.hpp>
#include <gapbundle/ops/install_images.hpp>
#include <gapbundle/ops/install_pip.hpp>
#include <gapbundle/util/text.hpp>

#include <cstdio>
#include <memory>

namespace gapbundle::cli {

namespace {

// Every install leaves a record in the audit log of the default state folder; one that cannot be
// written is a warning, not a failed install.
template <class T>
void audit_install(const std::string& command, const std::string& dir, const Result<T>& result)
{
    const std::optional<Error> error = result ? std::nullopt : std::optional(result.error());
    if (auto st = ops::append_install_audit(ops::default_state_dir(), command, dir, error); !st)
        std::fprintf(stderr, "note: the audit log was not written: %s\n", st.error().message.c_str());
}

struct InstallImagesFlags {
    std::string dir;
    std::string registry;
    std::string archive;
    std::string platform = "linux/amd64";
    std::string prefix;
    bool keep_registry = false;
    bool insecure = false;
    std::string creds_env;
    std::vector<std::string> refs;
    std::uint64_t chunk_size = 32ull << 20;
    EngineFlags engine;
};

nlohmann::json counts_json(const sources::oci::PushCounts& counts)
{
    return {{"blobs_uploaded", counts.blobs_uploaded},
            {"blobs_mounted", counts.blobs_mounted},
            {"blobs_present", counts.blobs_present},
            {"bytes_uploaded", counts.bytes_uploaded},
            {"manifests_pushed", counts.manifests_pushed},
            {"manifests_present", counts.manifests_present},
            {"tags_set", counts.tags_set},
            {"tags_present", counts.tags_present}};
}

nlohmann::json push_json(const InstallImagesFlags& flags, const ops::InstallImagesResult& result)
{
    auto images = nlohmann::json::array();
    for (const auto& image : result.push.images) {
        auto entry = counts_json(image.counts);
        entry["source"] = image.source;
        entry["destination"] = image.destination;
        entry["digest"] = image.digest;
        images.push_back(std::move(entry));
    }
    return {{"command", "install images"}, {"result", "ok"},   {"layout", result.layout.string()},
            {"registry", flags.registry},  {"images", images}, {"total", counts_json(result.push.total)}};
}

std::string counts_text(const sources::oci::PushCounts& c)
{
    return std::to_string(c.blobs_uploaded) + " blob(s) uploaded (" + text::human_bytes(c.bytes_uploaded) + "), " +
           std::to_string(c.blobs_mounted) + " mounted, " + std::to_string(c.blobs_present) + " already there; " +
           std::to_string(c.manifests_pushed) + " manifest(s) pushed, " + std::to_string(c.manifests_present) +
           " already there; " + std::to_string(c.tags_set) + " tag(s) set, " + std::to_string(c.tags_present) +
           " already set";
}

// The flags that only mean something for a push; returns those --archive excludes.
std::vector<CLI::Option*> add_registry_flags(CLI::App& command, InstallImagesFlags& flags)
{
    std::vector<CLI::Option*> push_only;
    push_only.push_back(command.add_option("--prefix", flags.prefix,
                                           "Path in front of every repository (mirror → HOST/mirror/library/python)"));
    push_only.push_back(
        command.add_flag("--keep-registry", flags.keep_registry,
                         "Keep the source registry as a path component (HOST/docker.io/library/python)"));
    push_only.push_back(
        command.add_flag("--insecure", flags.insecure, "Plain HTTP to the registry (test and lab registries)"));
    push_only.push_back(command.add_option("--creds-env", flags.creds_env,
                                           "USER_ENV:PASS_ENV: environment variables holding the registry's user and "
                                           "password (default: docker's config.json)"));
    push_only.push_back(
        command
            .add_option("--chunk-size", flags.chunk_size, "Blobs larger than this go up in chunks of this size (bytes)")
            ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 36))
            ->capture_default_str());
    command.add_option("--retries", flags.engine.retries, "Retries after a failed request")
        ->check(CLI::Range(0, 100))
        ->capture_default_str();
    command.add_option("--timeout", flags.engine.stall_timeout, "Seconds without progress before a request is retried")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    command.add_option("--ca-bundle", flags.engine.ca_bundle,
                       "CA certificates for HTTPS (default SSL_CERT_FILE, else the system's)");
    return push_only;
}

ops::InstallImagesOptions options_from(const InstallImagesFlags& flags, const GlobalOptions& global)
{
    ops::InstallImagesOptions options;
    options.dir = flags.dir;
    options.refs = flags.refs;
    if (!flags.archive.empty()) {
        options.target = ops::ImageTarget::archive;
        options.archive = flags.archive;
        options.archive_platform = flags.platform;
        return options;
    }
    options.push.registry = flags.registry;
    options.push.prefix = flags.prefix;
    options.push.source_registry =
        flags.keep_registry ? sources::oci::SourceRegistryPath::keep : sources::oci::SourceRegistryPath::drop;
    options.push.connection.insecure = flags.insecure;
    options.push.connection.engine = flags.engine.engine_options();
    options.push.chunk_size = flags.chunk_size;
    options.push.monolithic_max = std::min<std::uint64_t>(8ull << 20, flags.chunk_size);
    if (!flags.creds_env.empty()) options.creds_env = flags.creds_env;
    if (!global.json) {
        options.on_image = [](const sources::oci::ImagePushResult& image) {
            std::printf("pushed %s -> %s (%s): %s\n", image.source.c_str(), image.destination.c_str(),
                        image.digest.c_str(), counts_text(image.counts).c_str());
            std::fflush(stdout);
        };
    }
    return options;
}

int run_images(const InstallImagesFlags& flags, const GlobalOptions& global)
{
    auto result = ops::install_images(options_from(flags, global));
    audit_install("install images", flags.dir, result);
    if (!result) return report_error(global, "install images", result.error());
    if (result->target == ops::ImageTarget::archive) {
        const auto& archive = result->archive;
        if (global.json) {
            print_json({{"command", "install images"},
                        {"result", "ok"},
                        {"layout", result->layout.string()},
                        {"archive", flags.archive},
                        {"images", archive.images},
                        {"blobs", archive.blobs},
                        {"bytes", archive.bytes}});
        } else {
            std::printf("wrote %s: %zu image(s), %zu blob(s), %s\n", flags.archive.c_str(), archive.images,
                        archive.blobs, text::human_bytes(archive.bytes).c_str());
        }
        return 0;
    }
    if (global.json) {
        print_json(push_json(flags, *result));
    } else {
        std::printf("pushed %zu image(s) to %s: %s\n", result->push.images.size(), flags.registry.c_str(),
                    counts_text(result->push.total).c_str());
    }
    return 0;
}

struct InstallPipFlags {
    std::string dir;
    std::string python = "python3";
    std::string venv;
};

int run_pip(const InstallPipFlags& flags, const GlobalOptions& global)
{
    ops::InstallPipOptions options;
    options.dir = flags.dir;
    options.python = flags.python;
    if (!flags.venv.empty()) options.venv = flags.venv;
    options.quiet_stdout = global.json;
    auto result = ops::install_pip(options);
    audit_install("install pip", flags.dir, result);
    if (!result) return report_error(global, "install pip", result.error());
    if (global.json) {
        print_json({{"command", "install pip"},
                    {"result", "ok"},
                    {"python", result->python.string()},
                    {"venv_created", result->venv_created},
                    {"packages", result->packages}});
    } else {
        std::printf("installed %zu package(s) with %s%s\n", result->packages, result->python.c_str(),
                    result->venv_created ? " (new virtual environment)" : "");
    }
    return 0;
}

int run_hf(const std::string& dir, const std::string& cache, const GlobalOptions& global)
{
    ops::InstallHfOptions options;
    options.dir = dir;
    if (!cache.empty()) options.cache = cache;
    auto result = ops::install_hf(options);
    audit_install("install hf", dir, result);
    if (!result) return report_error(global, "install hf", result.error());
    const auto& r = *result;
    if (global.json) {
        print_json({{"command", "install hf"},
                    {"result", "ok"},
                    {"cache", r.cache.string()},
                    {"repos", r.repos},
                    {"blobs_copied", r.blobs_copied},
                    {"blobs_present", r.blobs_present},
                    {"links_made", r.links_made},
                    {"links_present", r.links_present},
                    {"refs_written", r.refs_written},
                    {"refs_present", r.refs_present}});
    } else {
        std::printf("merged %zu repo(s) into %s: %zu blob(s) copied, %zu already there; %zu link(s) made, %zu already "
                    "there; %zu ref(s) written, %zu already there\n",
                    r.repos, r.cache.c_str(), r.blobs_copied, r.blobs_present, r.links_made, r.links_present,
                    r.refs_written, r.refs_present);
    }
    return 0;
}

struct InstallHelmFlags {
    std::string dir;
    std::string registry;
    std::string prefix;
    bool insecure = false;
    std::string creds_env;
    EngineFlags engine;
};

int run_helm(const InstallHelmFlags& flags, const GlobalOptions& global)
{
    ops::InstallHelmOptions options;
    options.dir = flags.dir;
    options.push.registry = flags.registry;
    options.push.prefix = flags.prefix;
    options.push.connection.insecure = flags.insecure;
    options.push.connection.engine = flags.engine.engine_options();
    if (!flags.creds_env.empty()) options.creds_env = flags.creds_env;
    if (!global.json) {
        options.on_chart = [](const sources::helm::ChartPushResult& chart) {
            std::printf("pushed %s (%s): %s\n", chart.destination.c_str(), chart.digest.c_str(),
                        counts_text(chart.counts).c_str());
            std::fflush(stdout);
        };
    }
    auto result = ops::install_helm(options);
    audit_install("install helm", flags.dir, result);
    if (!result) return report_error(global, "install helm", result.error());
    if (global.json) {
        auto charts = nlohmann::json::array();
        for (const auto& chart : result->charts) {
            auto entry = counts_json(chart.counts);
            entry["destination"] = chart.destination;
            entry["digest"] = chart.digest;
            charts.push_back(std::move(entry));
        }
        print_json({{"command", "install helm"},
                    {"result", "ok"},
                    {"repository", result->repository.string()},
                    {"registry", flags.registry},
                    {"charts", charts},
                    {"total", counts_json(result->total)}});
    } else {
        std::printf("pushed %zu chart(s) to %s: %s\n", result->charts.size(), flags.registry.c_str(),
                    counts_text(result->total).c_str());
    }
    return 0;
}

}  // namespace

CommandRunner add_install(CLI::App& app, const GlobalOptions& global)
{
    auto* install = app.add_subcommand("install", "Install what an unpacked bundle carries, inside the gap");
    install->require_subcommand(1);
    auto* images = install->add_subcommand(
        "images", "Push the images of an unpacked bundle's OCI layout to a registry, or write a docker/ctr archive");
    auto flags = std::make_shared<InstallImagesFlags>();
    images->add_option("dir", flags->dir, "The unpacked bundle (or its oci/ layout)")->required();
    auto* registry = images->add_option("--registry", flags->registry, "HOST[:PORT] of the registry to push to");
    auto* archive =
        images->add_option("--archive", flags->archive, "Write a tar for `docker load` / `ctr images import` instead");
    auto* platform =
        images
            ->add_option("--platform", flags->platform,
                         "With --archive: the platform docker's manifest.json gets from a multi-arch image")
            ->capture_default_str();
    platform->needs(archive);
    registry->excludes(archive);
    archive->excludes(registry);
    images->add_option("--ref", flags->refs, "Only this image (repeat; full or short reference)");
    for (CLI::Option* option : add_registry_flags(*images, *flags)) archive->excludes(option);
    images->callback([images, registry, archive] {
        if (registry->count() == 0 && archive->count() == 0)
            throw CLI::RequiredError(images->get_name() + ": one of --registry or --archive");
    });

    auto* pip = install->add_subcommand(
        "pip", "Install an unpacked bundle's Python packages with pip, offline, each checked against its pinned hash");
    auto pip_flags = std::make_shared<InstallPipFlags>();
    pip->add_option("dir", pip_flags->dir, "The unpacked bundle (holding pypi/)")->required();
    pip->add_option("--python", pip_flags->python, "The interpreter that makes the venv, or installs")
        ->capture_default_str();
    pip->add_option("--venv", pip_flags->venv, "Install into this virtual environment, created when missing");

    auto* hf = install->add_subcommand(
        "hf", "Merge an unpacked bundle's Hugging Face hub cache into this machine's, changing nothing that is there");
    auto hf_flags = std::make_shared<std::pair<std::string, std::string>>();
    hf->add_option("dir", hf_flags->first, "The unpacked bundle (holding hf/hub)")->required();
    hf->add_option("--cache", hf_flags->second,
                   "The hub cache (default HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub)");
    auto* helm = install->add_subcommand(
        "helm", "Push the charts of an unpacked bundle's chart repository (helm/) to a registry as OCI artifacts");
    auto helm_flags = std::make_shared<InstallHelmFlags>();
    helm->add_option("dir", helm_flags->dir, "The unpacked bundle (or its helm/ folder)")->required();
    helm->add_option("--registry", helm_flags->registry, "HOST[:PORT] of the registry to push to")->required();
    helm->add_option("--prefix", helm_flags->prefix, "Path in front of every chart (charts → HOST/charts/NAME)");
    helm->add_flag("--insecure", helm_flags->insecure, "Plain HTTP to the registry (test and lab registries)");
    helm->add_option("--creds-env", helm_flags->creds_env,
                     "USER_ENV:PASS_ENV: environment variables holding the registry's user and password (default: "
                     "docker's config.json)");
    helm->add_option("--retries", helm_flags->engine.retries, "Retries after a failed request")
        ->check(CLI::Range(0, 100))
        ->capture_default_str();
    helm->add_option("--timeout", helm_flags->engine.stall_timeout, "Seconds without progress before a request is retried")
        ->check(CLI::Range(1, 3600))
        ->capture_default_str();
    helm->add_option("--ca-bundle", helm_flags->engine.ca_bundle,
                     "CA certificates for HTTPS (default SSL_CERT_FILE, else the system's)");
    return [&global, images, flags, pip, pip_flags, hf, hf_flags, helm, helm_flags] {
        if (images->parsed()) return run_images(*flags, global);
        if (helm->parsed()) return run_helm(*helm_flags, global);
        if (pip->parsed()) return run_pip(*pip_flags, global);
        if (hf->parsed()) return run_hf(hf_flags->first, hf_flags->second, global);
        return 2;
    };
}

}  // namespace gapbundle::cli
