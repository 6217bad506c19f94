#include <gapbundle/manifest/manifest.hpp>

#include <gapbundle/crypto/sha256.hpp>

#include "support/test_dir.hpp"

#include <gtest/gtest.h>

namespace gapbundle::manifest {
namespace {

using gapbundle::testing::write_text;

constexpr const char* k_header = "apiVersion: gapbundle/v1\nname: demo\n";
const std::string k_sha(64, 'a');

class ManifestTest : public gapbundle::testing::TestDirFixture {
protected:
    static Result<Manifest> parse(const std::string& yaml) { return parse_manifest(yaml, "m.yaml"); }

    // The manifest error for `yaml`, or a note that it parsed.
    static std::string error_of(const std::string& yaml)
    {
        auto manifest = parse(yaml);
        if (manifest) return "(parsed)";
        EXPECT_EQ(manifest.error().code, ErrorCode::manifest) << manifest.error().message;
        return manifest.error().message;
    }

    static std::string with_files(const std::string& entries) { return std::string(k_header) + "files:\n" + entries; }
};

TEST_F(ManifestTest, ParsesFullManifest)
{
    const std::string yaml = with_files("  - url: https://example.org/tools/tokenizer.model\n"
                                        "    sha256: " + k_sha + "\n"
                                        "    path: tools/tokenizer.model\n"
                                        "  - url: ./configs/\n");
    auto m = parse("serial: 42\nexpires: 30d\n" + yaml);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->name, "demo");
    EXPECT_EQ(m->file, "m.yaml");
    EXPECT_EQ(m->serial, 42u);
    ASSERT_TRUE(m->expires);
    EXPECT_EQ(m->expires->kind, Expiry::Kind::duration);
    EXPECT_EQ(m->expires->value, 30 * 86400);
    ASSERT_EQ(m->files.size(), 2u);
    EXPECT_EQ(m->files[0].url, "https://example.org/tools/tokenizer.model");
    EXPECT_EQ(m->files[0].sha256, k_sha);
    EXPECT_EQ(m->files[0].path, "tools/tokenizer.model");
    EXPECT_EQ(m->files[0].target, "tools/tokenizer.model");
    EXPECT_TRUE(m->files[0].is_remote());
    EXPECT_EQ(m->files[0].mark.line, 6);
    EXPECT_EQ(m->files[0].mark.column, 5);
    EXPECT_EQ(m->files[1].target, "configs");
    EXPECT_FALSE(m->files[1].is_remote());
    EXPECT_FALSE(m->files[1].path);
    EXPECT_EQ(m->sha256, crypto::sha256_hex("serial: 42\nexpires: 30d\n" + yaml));
}

TEST_F(ManifestTest, UsesDefaults)
{
    auto m = parse(k_header);
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_FALSE(m->serial);
    EXPECT_FALSE(m->expires);
    EXPECT_TRUE(m->files.empty());
    EXPECT_EQ(m->dir(), ".");
}

TEST_F(ManifestTest, AcceptsEmptyFilesList)
{
    auto m = parse(std::string(k_header) + "files:\n  # - url: https://example.org/a\n");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_TRUE(m->files.empty());
}

TEST_F(ManifestTest, DefaultsPathToUrlFileName)
{
    auto m = parse(with_files("  - url: https://example.org/a/b/model%20v1.bin?download=1#x\n"
                              "  - url: file:///srv/data/weights.bin\n"
                              "  - url: file://localhost/srv/other.bin\n"
                              "  - url: sub/dir/notes.txt\n"));
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->files[0].target, "model v1.bin");
    EXPECT_EQ(m->files[1].target, "weights.bin");
    EXPECT_EQ(m->files[2].target, "other.bin");
    EXPECT_EQ(m->files[3].target, "notes.txt");
    EXPECT_EQ(m->local_path(m->files[1]), "/srv/data/weights.bin");
    EXPECT_EQ(m->local_path(m->files[2]), "/srv/other.bin");
}

TEST_F(ManifestTest, ResolvesLocalPathsAgainstManifestFolder)
{
    auto m = parse_manifest(with_files("  - url: ../shared/./x.bin\n  - url: /abs/folder/\n"), dir() / "sub" / "m.yaml");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->dir(), dir() / "sub");
    EXPECT_EQ(m->local_path(m->files[0]), dir() / "shared" / "x.bin");
    EXPECT_EQ(m->local_path(m->files[1]), "/abs/folder");
    EXPECT_EQ(m->files[1].target, "folder");
}

TEST_F(ManifestTest, LowercasesSha256)
{
    auto m = parse(with_files("  - url: https://example.org/a\n    sha256: " + std::string(64, 'F') + "\n"));
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->files[0].sha256, std::string(64, 'f'));
}

TEST_F(ManifestTest, StripsTrailingSlashOfPath)
{
    auto m = parse(with_files("  - url: ./configs\n    path: etc/configs/\n"));
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->files[0].target, "etc/configs");
}

TEST_F(ManifestTest, ParsesExpiryForms)
{
    const std::pair<const char*, time::Seconds> durations[] = {{"45s", 45}, {"90m", 5400}, {"12h", 43200},
                                                               {"30d", 2592000}, {"2w", 1209600}};
    for (const auto& [text, seconds] : durations) {
        auto m = parse(std::string(k_header) + "expires: " + text + "\n");
        ASSERT_TRUE(m) << text << ": " << m.error().message;
        EXPECT_EQ(m->expires->kind, Expiry::Kind::duration) << text;
        EXPECT_EQ(m->expires->value, seconds) << text;
    }
    auto absolute = parse(std::string(k_header) + "expires: 2026-12-31T00:00:00Z\n");
    ASSERT_TRUE(absolute) << absolute.error().message;
    EXPECT_EQ(absolute->expires->kind, Expiry::Kind::absolute);
    EXPECT_EQ(absolute->expires->value, 1798675200);
    auto offset = parse(std::string(k_header) + "expires: 2026-12-31T02:00:00+02:00\n");
    ASSERT_TRUE(offset) << offset.error().message;
    EXPECT_EQ(offset->expires->value, 1798675200);
}

TEST_F(ManifestTest, RejectsBadExpiry)
{
    EXPECT_EQ(error_of(std::string(k_header) + "expires: soon\n"),
              "m.yaml:3:10: 'expires' must be a duration (like 30d, 12h, 2w) or an RFC 3339 time "
              "(like 2026-12-31T00:00:00Z), got 'soon'");
    EXPECT_EQ(error_of(std::string(k_header) + "expires: 0d\n").substr(0, 12), "m.yaml:3:10:");
    EXPECT_EQ(error_of(std::string(k_header) + "expires:\n"), "m.yaml:3:1: 'expires' must not be empty");
}

TEST_F(ManifestTest, RejectsUnknownKeyInFileEntryWithSuggestion)
{
    EXPECT_EQ(error_of(with_files("  - path: a\n    urll: https://example.org/a\n")),
              "m.yaml:5:5: unknown key 'urll' in files[0] (did you mean 'url'?)");
}

TEST_F(ManifestTest, RejectsUnknownTopLevelKey)
{
    EXPECT_EQ(error_of("apiVersion: gapbundle/v1\nnmae: demo\n"),
              "m.yaml:2:1: unknown key 'nmae' (did you mean 'name'?)");
    EXPECT_EQ(error_of(std::string(k_header) + "colour: blue\n"), "m.yaml:3:1: unknown key 'colour'");
}

TEST_F(ManifestTest, NamesTheNearestKindForAMisspeltOne)
{
    EXPECT_EQ(error_of(std::string(k_header) + "helms:\n  - x\n"), "m.yaml:3:1: unknown key 'helms' (did you mean 'helm'?)");
}

TEST_F(ManifestTest, RejectsDuplicateKey)
{
    EXPECT_EQ(error_of(std::string(k_header) + "name: other\n"), "m.yaml:3:1: duplicate key 'name'");
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/a\n    url: https://example.org/b\n")),
              "m.yaml:5:5: duplicate key 'url' in files[0]");
}

TEST_F(ManifestTest, RejectsMissingApiVersionAndName)
{
    EXPECT_EQ(error_of("name: demo\n"), "m.yaml:1:1: missing 'apiVersion'");
    EXPECT_EQ(error_of("apiVersion: gapbundle/v1\n"), "m.yaml:1:1: missing 'name'");
    EXPECT_EQ(error_of("apiVersion: gapbundle/v1\nname:\n"), "m.yaml:2:1: 'name' must not be empty");
}

TEST_F(ManifestTest, RejectsWrongApiVersion)
{
    EXPECT_EQ(error_of("apiVersion: gapbundle/v2\nname: demo\n"),
              "m.yaml:1:13: unsupported apiVersion 'gapbundle/v2' (expected 'gapbundle/v1')");
}

TEST_F(ManifestTest, RejectsBadName)
{
    EXPECT_EQ(error_of("apiVersion: gapbundle/v1\nname: my demo\n"),
              "m.yaml:2:7: invalid name 'my demo': use letters, digits, '.', '_' and '-'");
    EXPECT_EQ(error_of("apiVersion: gapbundle/v1\nname: [a]\n"), "m.yaml:2:7: 'name' must be a string");
    EXPECT_EQ(error_of("apiVersion: gapbundle/v1\nname: ..\n").substr(0, 25), "m.yaml:2:7: invalid name ");
}

TEST_F(ManifestTest, RejectsWrongTypes)
{
    EXPECT_EQ(error_of(std::string(k_header) + "files: 3\n"), "m.yaml:3:8: 'files' must be a list");
    EXPECT_EQ(error_of(std::string(k_header) + "serial: abc\n"),
              "m.yaml:3:9: 'serial' must be an unsigned integer, got 'abc'");
    EXPECT_EQ(error_of(std::string(k_header) + "serial: -1\n"),
              "m.yaml:3:9: 'serial' must be an unsigned integer, got '-1'");
    EXPECT_EQ(error_of(std::string(k_header) + "serial: 1.5\n"),
              "m.yaml:3:9: 'serial' must be an unsigned integer, got '1.5'");
    EXPECT_EQ(error_of(std::string(k_header) + "serial: [1]\n"), "m.yaml:3:9: 'serial' must be an unsigned integer");
    EXPECT_EQ(error_of(std::string(k_header) + "serial: 99999999999999999999\n"),
              "m.yaml:3:9: 'serial' is too large: 99999999999999999999");
    EXPECT_EQ(error_of(with_files("  - https://example.org/a\n")),
              "m.yaml:4:5: files[0] must be a mapping with a 'url' (and optional 'sha256', 'path')");
    EXPECT_EQ(error_of(with_files("  - url: [a]\n")), "m.yaml:4:10: files[0]: 'url' must be a string");
    EXPECT_EQ(error_of("- a\n- b\n"), "m.yaml:1:1: a manifest is a mapping with 'apiVersion', 'name' and 'files'");
    EXPECT_EQ(error_of(""), "m.yaml:1:1: a manifest is a mapping with 'apiVersion', 'name' and 'files'");
}

TEST_F(ManifestTest, RejectsMissingUrl)
{
    EXPECT_EQ(error_of(with_files("  - path: a\n")), "m.yaml:4:5: files[0]: missing 'url'");
}

TEST_F(ManifestTest, RejectsDuplicatePath)
{
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/a/model.bin\n"
                                  "  - url: https://example.org/b/model.bin\n")),
              "m.yaml:5:5: files[1]: path 'model.bin' is already used by files[0]");
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/a/x\n"
                                  "    path: model.bin\n"
                                  "  - url: ./model.bin\n"
                                  "  - url: https://example.org/b/y\n"
                                  "    path: model.bin/\n")),
              "m.yaml:6:5: files[1]: path 'model.bin' is already used by files[0]");
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/a/x\n"
                                  "    path: one\n"
                                  "  - url: https://example.org/b/y\n"
                                  "    path: one\n")),
              "m.yaml:7:11: files[1]: path 'one' is already used by files[0]");
}

TEST_F(ManifestTest, RejectsUnsafePath)
{
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/a\n    path: ../etc/passwd\n")),
              "m.yaml:5:11: files[0]: unsafe path '../etc/passwd': '.' or '..' component");
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/a\n    path: /etc/passwd\n")),
              "m.yaml:5:11: files[0]: unsafe path '/etc/passwd': absolute");
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/a\n    path: a//b\n")),
              "m.yaml:5:11: files[0]: unsafe path 'a//b': empty component");
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/a\n    path: 'c:x'\n")),
              "m.yaml:5:11: files[0]: unsafe path 'c:x': colon");
}

TEST_F(ManifestTest, RejectsUrlWithoutFileName)
{
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/models/\n")),
              "m.yaml:4:10: files[0]: cannot take a file name from 'https://example.org/models/'; add 'path'");
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/a%2F..\n")),
              "m.yaml:4:10: files[0]: the file name 'a/..' from the URL is unsafe ('.' or '..' component); add 'path'");
    auto ok = parse(with_files("  - url: https://example.org/models/\n    path: models/index.html\n"));
    EXPECT_TRUE(ok) << ok.error().message;
}

TEST_F(ManifestTest, RejectsBadSha256)
{
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/a\n    sha256: abc\n")),
              "m.yaml:5:13: files[0]: 'sha256' must be 64 hex digits, got 'abc'");
    EXPECT_EQ(error_of(with_files("  - url: https://example.org/a\n    sha256: " + std::string(64, 'g') + "\n")),
              "m.yaml:5:13: files[0]: 'sha256' must be 64 hex digits, got '" + std::string(64, 'g') + "'");
}

TEST_F(ManifestTest, RejectsUnsupportedScheme)
{
    EXPECT_EQ(error_of(with_files("  - url: ftp://example.org/a\n")),
              "m.yaml:4:10: files[0]: unsupported URL scheme 'ftp' in 'ftp://example.org/a' "
              "(use http://, https://, file:// or a local path)");
    EXPECT_EQ(error_of(with_files("  - url: file://server/share/a\n")),
              "m.yaml:4:10: files[0]: 'file://server/share/a' names a remote host; use file:///absolute/path");
    EXPECT_EQ(error_of(with_files("  - url: https:///a\n")), "m.yaml:4:10: files[0]: 'https:///a' has no host");
}

TEST_F(ManifestTest, RejectsCredentialsInUrl)
{
    EXPECT_EQ(error_of(with_files("  - url: https://alice:s3cret@example.org/a\n")),
              "m.yaml:4:10: files[0]: 'https://***@example.org/a' carries credentials, which would be written "
              "to the lock; put them in ~/.netrc instead");
}

TEST_F(ManifestTest, ReportsYamlSyntaxErrorWithPosition)
{
    const auto message = error_of("apiVersion: gapbundle/v1\nname: [demo\n");
    EXPECT_TRUE(message.starts_with("m.yaml:3:1: ")) << message;
    const auto tabs = error_of("apiVersion: gapbundle/v1\nfiles:\n  - url: a\n   - url: b\n");
    EXPECT_TRUE(tabs.starts_with("m.yaml:4:")) << tabs;
}

TEST_F(ManifestTest, RejectsSecondDocument)
{
    EXPECT_EQ(error_of(std::string(k_header) + "---\nname: other\n"), "m.yaml:4:1: only one YAML document is allowed");
}

// yaml-cpp's LoadAll looped forever on a stray ',' outside a flow, allocating until memory ran out
// (found by fuzz/manifest_fuzzer).
TEST_F(ManifestTest, RejectsStrayCommaWithoutLooping)
{
    EXPECT_EQ(error_of(","), "m.yaml:1:1: only one YAML document is allowed");
    EXPECT_EQ(error_of("[a],"), "m.yaml:1:4: only one YAML document is allowed");
}

TEST_F(ManifestTest, LoadsFileAndHashesItsExactBytes)
{
    const std::string content = std::string("# comment\n") + k_header + "files:\n  - url: data.bin\n";
    write_text(dir() / "m.yaml", content);
    auto m = load_manifest(dir() / "m.yaml");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->sha256, crypto::sha256_hex(content));
    EXPECT_EQ(m->file, dir() / "m.yaml");
    EXPECT_EQ(m->local_path(m->files[0]), dir() / "data.bin");
}

TEST_F(ManifestTest, ErrorsNameTheFileAsGiven)
{
    write_text(dir() / "bad.yaml", "apiVersion: gapbundle/v1\n");
    auto m = load_manifest(dir() / "bad.yaml");
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, (dir() / "bad.yaml").string() + ":1:1: missing 'name'");
}

TEST_F(ManifestTest, MissingFileIsIoError)
{
    auto m = load_manifest(dir() / "nope.yaml");
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, ErrorCode::io);
    EXPECT_NE(m.error().message.find((dir() / "nope.yaml").string()), std::string::npos) << m.error().message;
}

TEST_F(ManifestTest, ManifestErrorsExitWithTwo)
{
    EXPECT_EQ(exit_status_for(ErrorCode::manifest), 2);
}

TEST_F(ManifestTest, ParsesImagesAndRegistries)
{
    auto m = parse(std::string(k_header) +
                   "images:\n"
                   "  - ref: docker.io/library/python:3.11-slim\n"
                   "    platforms: [linux/amd64, linux/arm64]\n"
                   "  - nvcr.io/nvidia/tritonserver:24.08-py3\n"
                   "  - ref: quay.io/a/b\n"
                   "    platforms: all\n"
                   "registries:\n"
                   "  nvcr.io: { username_env: NGC_USER, password_env: NGC_API_KEY }\n"
                   "  registry.local:5000: { insecure: true }\n"
                   "  quay.io:\n");
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_EQ(m->images.size(), 3u);
    EXPECT_EQ(m->images[0].ref, "docker.io/library/python:3.11-slim");
    EXPECT_EQ(m->images[0].platforms, (std::vector<std::string>{"linux/amd64", "linux/arm64"}));
    EXPECT_EQ(m->images[0].mark.line, 4);
    EXPECT_EQ(m->images[1].ref, "nvcr.io/nvidia/tritonserver:24.08-py3");
    EXPECT_TRUE(m->images[1].platforms.empty());
    EXPECT_EQ(m->images[2].platforms, std::vector<std::string>{"all"});
    ASSERT_EQ(m->registries.size(), 3u);
    const auto* ngc = m->registry("nvcr.io");
    ASSERT_NE(ngc, nullptr);
    EXPECT_EQ(ngc->username_env, "NGC_USER");
    EXPECT_EQ(ngc->password_env, "NGC_API_KEY");
    EXPECT_FALSE(ngc->insecure);
    ASSERT_NE(m->registry("registry.local:5000"), nullptr);
    EXPECT_TRUE(m->registry("registry.local:5000")->insecure);
    EXPECT_FALSE(m->registry("quay.io")->insecure);
    EXPECT_EQ(m->registry("docker.io"), nullptr);
}

TEST_F(ManifestTest, RejectsBadImageEntries)
{
    const std::string head = std::string(k_header) + "images:\n";
    EXPECT_EQ(error_of(std::string(k_header) + "images: python\n"), "m.yaml:3:9: 'images' must be a list");
    EXPECT_EQ(error_of(head + "  - platforms: [linux/amd64]\n"), "m.yaml:4:5: images[0]: missing 'ref'");
    EXPECT_EQ(error_of(head + "  - ref: a\n    platform: [linux/amd64]\n"),
              "m.yaml:5:5: unknown key 'platform' in images[0] (did you mean 'platforms'?)");
    EXPECT_EQ(error_of(head + "  - ref: a\n    platforms: []\n"),
              "m.yaml:5:16: images[0]: 'platforms' must be a list like [linux/amd64, linux/arm64], or all");
    EXPECT_EQ(error_of(head + "  - ref: a\n    platforms: [[linux]]\n"),
              "m.yaml:5:17: images[0]: each platform is os/architecture[/variant]");
    EXPECT_EQ(error_of(head + "  - [a]\n"),
              "m.yaml:4:5: images[0] must be a reference or a mapping with 'ref' (and optional 'platforms')");
}

TEST_F(ManifestTest, RejectsBadRegistrySettings)
{
    const std::string head = std::string(k_header) + "registries:\n";
    EXPECT_EQ(error_of(std::string(k_header) + "registries: [a]\n"),
              "m.yaml:3:13: 'registries' must be a mapping of host to settings");
    EXPECT_EQ(error_of(head + "  https://r.io: {}\n"),
              "m.yaml:4:3: registries: 'https://r.io': a registry is a host[:port], like registry.local:5000");
    EXPECT_EQ(error_of(head + "  r.io: { username_env: U }\n"),
              "m.yaml:4:9: registries: 'r.io': give both 'username_env' and 'password_env'");
    EXPECT_EQ(error_of(head + "  r.io: { username_env: U, password_env: hunter2! }\n"),
              "m.yaml:4:42: registries: 'r.io': 'password_env' names an environment variable (like NGC_USER), "
              "got 'hunter2!'; secrets never go in the manifest");
    EXPECT_EQ(error_of(head + "  r.io: { password: x }\n"),
              "m.yaml:4:11: unknown key 'password' in registries: 'r.io'");
    EXPECT_EQ(error_of(head + "  r.io: { insecure: maybe }\n"),
              "m.yaml:4:21: registries: 'r.io': 'insecure' must be true or false");
    EXPECT_EQ(error_of(head + "  r.io: {}\n  r.io: {}\n"), "m.yaml:5:3: registries: 'r.io' appears twice");
}

}  // namespace
}  // namespace gapbundle::manifest
