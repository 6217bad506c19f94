#include "bundle_fixture.hpp"

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/crypto/sha256.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdio>

namespace gapbundle::bundle {
namespace {

const std::string k_hex_a(64, 'a');
const std::string k_hex_b(64, 'b');

Index small_index()
{
    Index index;
    index.name = "demo";
    index.serial = 20260101000000;
    index.created = "2026-01-01T00:00:00Z";
    index.producer = "gapbundle 0.1.0";
    index.manifest_sha256 = k_hex_a;
    index.lock_sha256 = k_hex_b;
    index.entries = {
        Entry{"files", EntryType::dir, BasePath::none, 0755, 0, "", ""},
        Entry{"files/caf\xc3\xa9.txt", EntryType::file, BasePath::none, 0644, 3, k_hex_a, ""},
        Entry{"files/link", EntryType::symlink, BasePath::none, 0644, 0, "", "caf\xc3\xa9.txt"},
    };
    return index;
}

std::string with_entries(const std::string& entries_json)
{
    return R"({"created":"2026-01-01T00:00:00Z","entries":)" + entries_json +
           R"(,"format":1,"lock_sha256":")" + k_hex_b + R"(","manifest_sha256":")" + k_hex_a +
           R"(","name":"demo","producer":"gapbundle 0.1.0","serial":1})";
}

std::string file_json(const std::string& path, const std::string& sha = k_hex_a, int mode = 420)
{
    return R"({"mode":)" + std::to_string(mode) + R"(,"path":")" + path + R"(","sha256":")" + sha +
           R"(","size":3,"type":"file"})";
}

const std::string k_files_dir = R"({"mode":493,"path":"files","type":"dir"})";

// Every command holds one Entry per file (66,000 in the memory test): an entry is its three
// strings, eight bytes of type, base and mode, and its size; no more.
TEST(IndexTest, AnEntryIsThreeStringsAndSixteenBytes)
{
    EXPECT_LE(sizeof(Entry), 3 * sizeof(std::string) + 16);
}

TEST(IndexTest, SerializesCanonicalBytes)
{
    const std::string expected =
        R"({"created":"2026-01-01T00:00:00Z","entries":[{"mode":493,"path":"files","type":"dir"},)"
        R"({"mode":420,"path":"files/caf)" "\xc3\xa9" R"(.txt","sha256":")" + k_hex_a + R"(","size":3,"type":"file"},)"
        R"({"link":"caf)" "\xc3\xa9" R"(.txt","path":"files/link","type":"symlink"}],"format":1,)"
        R"("lock_sha256":")" + k_hex_b + R"(","manifest_sha256":")" + k_hex_a +
        R"(","name":"demo","producer":"gapbundle 0.1.0","serial":20260101000000})";
    EXPECT_EQ(to_canonical_json(small_index()), expected);
}

TEST(IndexTest, RoundTripsExactly)
{
    auto index = small_index();
    index.expires = "2026-02-01T00:00:00Z";
    const auto bytes = to_canonical_json(index);
    auto parsed = parse_index(bytes);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, index);
    EXPECT_EQ(to_canonical_json(*parsed), bytes);
}

TEST(IndexTest, RejectsNonCanonicalBytes)
{
    auto bytes = to_canonical_json(small_index());
    bytes.insert(1, " ");
    auto parsed = parse_index(bytes);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "gapbundle/index.json: not in canonical form");
}

TEST(IndexTest, RejectsTrailingBytesAfterTheCanonicalText)
{
    for (const std::string tail : {" ", "\n", "{}"}) {
        auto parsed = parse_index(to_canonical_json(small_index()) + tail);
        ASSERT_FALSE(parsed) << tail;
    }
}

TEST(IndexTest, RejectsEntriesThatAreNotAListOfObjects)
{
    const auto error_of = [](const std::string& bytes) {
        auto parsed = parse_index(bytes);
        return parsed ? std::string("(parsed)") : parsed.error().message;
    };
    EXPECT_EQ(error_of(with_entries(R"("files")")), "gapbundle/index.json: 'entries' must be a list");
    EXPECT_EQ(error_of(with_entries(R"({"entries":[]})")), "gapbundle/index.json: 'entries' must be a list");
    EXPECT_EQ(error_of(with_entries("[" + k_files_dir + R"(,"files/a"])")),
              "gapbundle/index.json: entries[1]: must be an object");
    EXPECT_EQ(error_of(with_entries("[" + k_files_dir + R"(,[{"path":"files/a"}]])")),
              "gapbundle/index.json: entries[1]: must be an object");
    EXPECT_EQ(error_of(with_entries(R"([{"entries":[],"mode":493,"path":"files","type":"dir"}])")),
              "gapbundle/index.json: entries[0] (files): unknown key 'entries'");
    // The first error wins; later entries are not reported over it.
    EXPECT_EQ(error_of(with_entries(R"([1,2])")), "gapbundle/index.json: entries[0]: must be an object");
    // "entries" twice: nlohmann keeps the last, so the first list must not slip in unseen.
    std::string twice = with_entries("[" + k_files_dir + "]");
    twice.insert(1, R"("entries":[)" + k_files_dir + "],");
    EXPECT_EQ(error_of(twice), "gapbundle/index.json: 'entries' must be a list");
}

// small_index() and `count` more files after its entries (files/z00000.bin, ...), still sorted.
Index with_many_files(int count)
{
    Index index = small_index();
    for (int i = 0; i < count; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "files/z%05d.bin", i);
        index.entries.push_back(Entry{name, EntryType::file, BasePath::none, 0644, static_cast<std::uint64_t>(i), k_hex_b, ""});
    }
    return index;
}

TEST(IndexTest, WritesBigIndexesInBoundedPiecesThatParseBack)
{
    Index index = with_many_files(5000);
    std::string joined;
    std::size_t pieces = 0;
    write_canonical_json(index, [&](std::string_view piece) {
        EXPECT_LE(piece.size(), (64u << 10) + 512u);
        joined += piece;
        ++pieces;
    });
    EXPECT_GT(pieces, 1u);
    EXPECT_EQ(joined, to_canonical_json(index));
    auto parsed = parse_index(joined);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, index);
}

// Reads `reader` to the end in reads of `piece` bytes, expecting only the last to be short.
std::string read_in_pieces(PieceReader& reader, std::size_t piece, std::size_t expected_size)
{
    std::vector<std::byte> buffer(piece);
    std::string got;
    for (std::size_t n; (n = reader.read(buffer)) > 0;) {
        EXPECT_TRUE(n == piece || got.size() + n == expected_size) << "short read before the end";
        got.append(reinterpret_cast<const char*>(buffer.data()), n);
    }
    EXPECT_EQ(reader.read(buffer), 0u);
    return got;
}

// pack writes the index from this reader after signing the text of to_canonical_json.
TEST(IndexTest, ReadsTheCanonicalTextInPiecesOfAnySize)
{
    Index big = with_many_files(3000);
    Index empty = small_index();
    empty.entries.clear();
    empty.components.clear();
    for (const Index* index : {&big, &empty}) {
        const std::string expected = to_canonical_json(*index);
        for (const std::size_t piece : {1u, 13u, 4096u, 100000u}) {
            CanonicalIndexReader reader(*index);
            ASSERT_EQ(read_in_pieces(reader, piece, expected.size()), expected) << piece;
        }
    }
    EXPECT_TRUE(to_canonical_json(empty).find(R"("entries":[],)") != std::string::npos);
}

TEST(IndexTest, RejectsUnsortedPaths)
{
    auto parsed = parse_index(with_entries("[" + k_files_dir + "," + file_json("files/b") + "," + file_json("files/a") + "]"));
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "gapbundle/index.json: entries[2] (files/a): entries are not sorted by path");
}

TEST(IndexTest, RejectsDuplicatePath)
{
    auto parsed = parse_index(with_entries("[" + k_files_dir + "," + file_json("files/a") + "," + file_json("files/a") + "]"));
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "gapbundle/index.json: entries[2] (files/a): duplicate path");
}

TEST(IndexTest, TheSbomIsTheOnlyFileBesideSha256SumsInTheReservedFolder)
{
    const std::string reserved = R"({"mode":493,"path":"gapbundle","type":"dir"})";
    const auto with = [&](const std::string& extra) {
        return parse_index(with_entries("[" + reserved + "," + file_json("gapbundle/SHA256SUMS") + "," + extra + "]"));
    };
    EXPECT_TRUE(with(file_json("gapbundle/sbom.cdx.json")));
    auto other = with(file_json("gapbundle/sbom.spdx.json"));
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().message, "gapbundle/index.json: entries[2] (gapbundle/sbom.spdx.json): reserved path");
    auto folder = with(R"({"mode":493,"path":"gapbundle/sbom.cdx.json","type":"dir"})");
    ASSERT_FALSE(folder);
    EXPECT_EQ(folder.error().message, "gapbundle/index.json: entries[2] (gapbundle/sbom.cdx.json): reserved path has the wrong type");
}

TEST(IndexTest, RejectsUnsafePaths)
{
    for (const std::string path : {"../x", "/etc/x", "files/../../x", "files//x", "C:x", "a\\\\b"}) {
        auto parsed = parse_index(with_entries("[" + file_json(path) + "]"));
        ASSERT_FALSE(parsed) << path;
        EXPECT_NE(parsed.error().message.find("unsafe path"), std::string::npos) << parsed.error().message;
    }
}

TEST(IndexTest, RejectsBadSha256)
{
    for (const std::string& sha : {std::string(63, 'a'), std::string(64, 'A'), std::string(64, 'g')}) {
        auto parsed = parse_index(with_entries("[" + k_files_dir + "," + file_json("files/a", sha) + "]"));
        ASSERT_FALSE(parsed) << sha;
        EXPECT_EQ(parsed.error().message,
                  "gapbundle/index.json: entries[1] (files/a): 'sha256' must be 64 lowercase hex digits");
    }
}

TEST(IndexTest, RejectsBadMode)
{
    for (int mode : {0777, 04755, 0600}) {
        auto parsed = parse_index(with_entries("[" + k_files_dir + "," + file_json("files/a", k_hex_a, mode) + "]"));
        ASSERT_FALSE(parsed) << mode;
        EXPECT_EQ(parsed.error().message,
                  "gapbundle/index.json: entries[1] (files/a): mode " + std::to_string(mode) + " is not allowed");
    }
}

TEST(IndexTest, RejectsUnknownFormatAndKeys)
{
    auto bytes = with_entries("[]");
    auto other = bytes;
    other.replace(other.find("\"format\":1"), 10, "\"format\":3");
    auto parsed = parse_index(other);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message, "gapbundle/index.json: unsupported format 3 (this gapbundle reads formats 1 and 2)");
    auto extra = bytes;
    extra.insert(1, R"("color":"red",)");
    EXPECT_FALSE(parse_index(extra));
}

TEST(IndexTest, RejectsMissingParentFolder)
{
    auto parsed = parse_index(with_entries("[" + file_json("files/a") + "]"));
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message,
              "gapbundle/index.json: entries[0] (files/a): its parent folder is not a dir entry of the index");
}

TEST(IndexTest, RejectsSymlinkLeavingTree)
{
    auto index = small_index();
    index.entries[2].link_target = "../../etc/passwd";
    auto parsed = parse_index(to_canonical_json(index));
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().message,
              "gapbundle/index.json: entries[2] (files/link): symlink target '../../etc/passwd' leaves the tree");
    index.entries[2].link_target = "/etc/passwd";
    EXPECT_FALSE(parse_index(to_canonical_json(index)));
}

TEST(IndexTest, RejectsEntryBelowSymlink)
{
    auto index = small_index();
    index.entries.push_back(Entry{"files/link/x", EntryType::file, BasePath::none, 0644, 3, k_hex_a, ""});
    auto parsed = parse_index(to_canonical_json(index));
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().message.find("its parent folder is not a dir entry"), std::string::npos);
}

TEST(IndexTest, RejectsOversizedIndex)
{
    const std::string huge(k_max_index_bytes + 1, ' ');
    auto parsed = parse_index(huge);
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().message.find("larger than"), std::string::npos);
}

TEST(IndexTest, OrdersReservedEntriesFirst)
{
    std::vector<Entry> entries{Entry{"a/x", EntryType::file, BasePath::none, 0644, 1, k_hex_a, ""},
                               Entry{std::string(k_sums_path), EntryType::file, BasePath::none, 0644, 1, k_hex_a, ""},
                               Entry{"z", EntryType::file, BasePath::none, 0644, 1, k_hex_a, ""}};
    add_parent_dirs(entries);
    Index index;
    index.entries = entries;
    std::vector<std::string> order;
    for (auto i : stream_order(index)) order.push_back(index.entries[i].path);
    EXPECT_EQ(order, (std::vector<std::string>{"gapbundle", "gapbundle/SHA256SUMS", "a", "a/x", "z"}));
}

Index delta_index()
{
    Index index = small_index();
    index.channel = "nightly";
    index.base = BaseRef{"nightly", 20251231000000, k_hex_b};
    index.format = k_delta_format_version;
    index.entries[1].set_path_in_base("files/old name.txt");
    return index;
}

TEST(IndexTest, ADeltaNamesItsBaseAndWhereTheBaseHoldsEachFile)
{
    const Index index = delta_index();
    const std::string text = to_canonical_json(index);
    EXPECT_TRUE(text.starts_with(R"({"base":{"channel":"nightly","index_sha256":")" + k_hex_b +
                                 R"(","serial":20251231000000},"channel":"nightly","created":)"))
        << text;
    EXPECT_NE(text.find(R"({"base_path":"files/old name.txt","mode":420,"path":"files/caf)"), std::string::npos) << text;
    auto parsed = parse_index(text);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, index);
    // Not in the stream: the bundle does not carry it.
    EXPECT_EQ(stream_order(index), (std::vector<std::size_t>{0, 2}));
}

TEST(IndexTest, AFileAtItsOwnPathInTheBaseIsNamedWithoutACopy)
{
    Index index = delta_index();
    Entry& same = index.entries.emplace_back(Entry{"files/same.txt", EntryType::file, BasePath::none, 0644, 2, k_hex_a, ""});
    same.set_path_in_base("files/same.txt");
    EXPECT_EQ(same.base_path, BasePath::same);
    EXPECT_TRUE(same.link_target.empty());
    EXPECT_TRUE(same.from_base());
    EXPECT_EQ(same.path_in_base(), "files/same.txt");
    const std::string text = to_canonical_json(index);
    EXPECT_NE(text.find(R"({"base_path":"files/same.txt","mode":420,"path":"files/same.txt",)"), std::string::npos)
        << text;
    auto parsed = parse_index(text);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->entries[3].base_path, BasePath::same);
    EXPECT_TRUE(parsed->entries[3].link_target.empty());
    EXPECT_EQ(parsed->entries[1].base_path, BasePath::other);
    EXPECT_EQ(parsed->entries[1].path_in_base(), "files/old name.txt");
    EXPECT_EQ(*parsed, index);
    EXPECT_EQ(to_canonical_json(*parsed), text);
    EXPECT_EQ(stream_order(index), (std::vector<std::size_t>{0, 2}));
}

TEST(IndexTest, RejectsABaseThatDoesNotHold)
{
    const auto refused = [](const Index& index, const std::string& why) {
        auto parsed = parse_index(to_canonical_json(index));
        ASSERT_FALSE(parsed) << why;
        EXPECT_NE(parsed.error().message.find(why), std::string::npos) << parsed.error().message;
    };
    Index no_base = delta_index();
    no_base.base.reset();
    refused(no_base, "format 2 (a delta) must name its base");
    no_base.format = k_format_version;
    refused(no_base, "has a base_path, but the bundle names no base");
    Index format_one = delta_index();
    format_one.format = k_format_version;
    refused(format_one, "'base' needs format 2 (a delta)");
    Index unsafe = delta_index();
    unsafe.entries[1].set_path_in_base("../outside");
    refused(unsafe, "base_path:");
    Index other_channel = delta_index();
    other_channel.base->channel = "weekly";
    refused(other_channel, "channel 'weekly' is not the bundle's own");
    Index newer = delta_index();
    newer.base->serial = newer.serial;
    refused(newer, "is not older than the bundle's");
    Index bad_digest = delta_index();
    bad_digest.base->index_sha256 = "abc";
    refused(bad_digest, "'index_sha256' must be 64 lowercase hex digits");
    // Only files come from a base.
    const std::string on_dir = with_entries(R"([{"base_path":"x","mode":493,"path":"files","type":"dir"}])");
    auto parsed = parse_index(on_dir);
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().message.find("unknown key 'base_path'"), std::string::npos) << parsed.error().message;
}

TEST(IndexTest, ListsPayloadVolumesLastAndOmitsThemWhenThereAreNone)
{
    Index index = small_index();
    EXPECT_EQ(to_canonical_json(index).find("volumes"), std::string::npos);
    index.volumes = {Volume{65535, k_hex_a}, Volume{17, k_hex_b}};
    const std::string text = to_canonical_json(index);
    EXPECT_TRUE(text.ends_with(R"("serial":20260101000000,"volumes":[{"sha256":")" + k_hex_a +
                               R"(","size":65535},{"sha256":")" + k_hex_b + R"(","size":17}]})"))
        << text;
    auto parsed = parse_index(text);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, index);
}

TEST(IndexTest, RejectsVolumesThatCannotBeRead)
{
    const std::string head = with_entries("[" + k_files_dir + "]");
    const auto refused = [&](const std::string& volumes, const std::string& why) {
        auto parsed = parse_index(head.substr(0, head.size() - 1) + R"(,"volumes":)" + volumes + "}");
        ASSERT_FALSE(parsed) << volumes;
        EXPECT_NE(parsed.error().message.find(why), std::string::npos) << parsed.error().message;
    };
    refused("[]", "volumes: must be a non-empty list");
    refused(R"({"size":1})", "volumes: must be a non-empty list");
    refused(R"([{"sha256":")" + k_hex_a + R"(","size":0}])", "volumes[0]: a volume cannot be empty");
    refused(R"([{"sha256":"abc","size":5}])", "'sha256' must be 64 lowercase hex digits");
    refused(R"([{"sha256":")" + k_hex_a + R"(","size":5,"name":"b.001"}])", "unknown key 'name'");
    std::string many = "[";
    for (std::size_t i = 0; i <= k_max_volumes; ++i) many += (i ? "," : "") + std::string(R"({"sha256":")") + k_hex_a + R"(","size":1})";
    refused(many + "]", "more than 999 volumes");
}

TEST(IndexTest, WritesSha256SumsLines)
{
    std::vector<Entry> entries{Entry{"a", EntryType::dir, BasePath::none, 0755, 0, "", ""},
                               Entry{"a/x", EntryType::file, BasePath::none, 0644, 1, k_hex_a, ""},
                               Entry{std::string(k_sums_path), EntryType::file, BasePath::none, 0644, 1, k_hex_b, ""}};
    EXPECT_EQ(sha256sums_text(entries), k_hex_a + "  a/x\n");
}

TEST(IndexTest, ReadsSha256SumsInPiecesOfAnySize)
{
    std::vector<Entry> entries{Entry{"a", EntryType::dir, BasePath::none, 0755, 0, "", ""},
                               Entry{"a/l", EntryType::symlink, BasePath::none, 0644, 0, "", "x"},
                               Entry{"a/x", EntryType::file, BasePath::none, 0644, 1, k_hex_a, ""},
                               Entry{"a/y z", EntryType::file, BasePath::none, 0755, 2, k_hex_b, ""},
                               Entry{std::string(k_sums_path), EntryType::file, BasePath::none, 0644, 1, k_hex_b, ""}};
    const std::string expected = k_hex_a + "  a/x\n" + k_hex_b + "  a/y z\n";
    for (const std::size_t piece : {1u, 7u, 65u, 66u, 4096u}) {
        Sha256SumsReader reader(entries);
        EXPECT_EQ(read_in_pieces(reader, piece, expected.size()), expected) << piece;
    }
    const std::vector<Entry> no_entries;
    Sha256SumsReader none(no_entries);
    std::byte byte[1];
    EXPECT_EQ(none.read(byte), 0u);
}

}  // namespace
}  // namespace gapbundle::bundle

namespace gapbundle::bundle {
namespace {

Index with_components()
{
    Index index = small_index();
    index.components = {
        Component{"pip", "a", "1.0", {"files/caf\xc3\xa9.txt"}, {"a>=1"}, {{"b", "b<2"}, {"c", "c; extra == \"x\""}}, {}},
        Component{"pip", "b", "1.5", {}, {}, {}, {}},
    };
    return index;
}

TEST(IndexComponents, RoundTripAndOmittedWhenEmpty)
{
    const auto bytes = to_canonical_json(with_components());
    EXPECT_NE(bytes.find(R"("components":[{"dependencies":[{"name":"b","requirement":"b<2"})"), std::string::npos)
        << bytes;
    auto parsed = parse_index(bytes);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, with_components());
    EXPECT_EQ(to_canonical_json(small_index()).find("components"), std::string::npos);
}

// The components are written a path at a time, not built as a JSON tree: the text is still
// nlohmann's compact dump of itself (keys sorted), for every shape a component takes, including a
// folder's that lists thousands of files and spans many pieces.
TEST(IndexComponents, AreWrittenAsTheirCanonicalDumpAPathAtATime)
{
    Index index = with_many_files(4000);
    Component folder{"files", "caf\xc3\xa9 \"odd\"\tname", "tree:" + std::string(64, 'e'), {}, {}, {}, {}};
    for (const auto& entry : index.entries)
        if (entry.path.starts_with("files/z")) folder.paths.push_back(entry.path);
    index.components = {
        std::move(folder),
        Component{"images", "img", "sha256:" + std::string(64, 'f'), {"files/z00000.bin"}, {"img:1", "img:2"},
                  {{"a", "a>=1"}, {"b", "b; extra == \"x\""}}, {"linux/amd64", "linux/arm/v7"}},
        Component{"pip", "z", "2", {}, {}, {}, {}},
    };
    const std::string text = to_canonical_json(index);
    EXPECT_EQ(text, nlohmann::json::parse(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    auto parsed = parse_index(text);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, index);
    for (const std::size_t piece : {13u, 4096u}) {
        CanonicalIndexReader reader(index);
        EXPECT_EQ(read_in_pieces(reader, piece, text.size()), text) << piece;
    }
}

TEST(IndexComponents, RejectsWhatTheIndexDoesNotHold)
{
    const auto error_of = [](const Index& index) {
        auto parsed = parse_index(to_canonical_json(index));
        return parsed ? std::string("(parsed)") : parsed.error().message;
    };
    Index index = with_components();
    index.components[0].paths = {"files/missing.whl"};
    EXPECT_EQ(error_of(index),
              "gapbundle/index.json: components[0] (pip a 1.0): 'files/missing.whl' is not a file of the bundle");
    index = with_components();
    index.components[0].paths = {"files"};
    EXPECT_EQ(error_of(index), "gapbundle/index.json: components[0] (pip a 1.0): 'files' is not a file of the bundle");
    index = with_components();
    std::swap(index.components[0], index.components[1]);
    EXPECT_EQ(error_of(index), "gapbundle/index.json: components[1] (pip a 1.0): components must be sorted by kind, "
                               "name and version, each once");
    index = with_components();
    std::swap(index.components[0].dependencies[0], index.components[0].dependencies[1]);
    EXPECT_EQ(error_of(index),
              "gapbundle/index.json: components[0] (pip a 1.0): dependencies must be sorted and unique");
}

// parse_index takes a component's paths out of the JSON tree as they are parsed: whatever is not a
// string stays behind, and every malformed list is still refused, naming the component.
TEST(IndexComponents, RefusesMalformedPathsTakenOutWhileParsing)
{
    const auto bytes = to_canonical_json(with_components());
    const auto error_with = [&](const std::string& paths) {
        auto document = nlohmann::json::parse(bytes);
        document["components"][0]["paths"] = nlohmann::json::parse(paths);
        auto bad = parse_index(document.dump());
        return bad ? std::string("(parsed)") : bad.error().message;
    };
    const std::string where = "gapbundle/index.json: components[0] (pip a 1.0): 'paths': ";
    EXPECT_EQ(error_with(R"(["files/a-1.0.whl",1])"), where + "must be a list of non-empty strings");
    EXPECT_EQ(error_with(R"([["files/a-1.0.whl"]])"), where + "must be a list of non-empty strings");
    EXPECT_EQ(error_with(R"([{"p":"files/a-1.0.whl"}])"), where + "must be a list of non-empty strings");
    EXPECT_EQ(error_with(R"([""])"), where + "must be a list of non-empty strings");
    EXPECT_EQ(error_with(R"("files/a-1.0.whl")"), where + "must be a list of strings");
    EXPECT_EQ(error_with(R"({"p":"files/a-1.0.whl"})"), where + "must be a list of strings");
    EXPECT_EQ(error_with(R"(["files/b-1.5.whl","files/a-1.0.whl"])"), where + "must be sorted and unique");
    EXPECT_EQ(error_with(R"(["files/a-1.0.whl","files/a-1.0.whl"])"), where + "must be sorted and unique");

    auto document = nlohmann::json::parse(bytes);
    document["components"] = "pip";
    auto bad = parse_index(document.dump());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "gapbundle/index.json: components: must be a list");
    // Two lists, their items gathered into one, are refused too: the text is not canonical.
    std::string twice = bytes;
    const auto at = twice.find("\"components\":");
    const auto list_end = twice.find("],\"created\"", at) + 1;
    twice.insert(list_end + 1, twice.substr(at, list_end - at) + ",");
    bad = parse_index(twice);
    ASSERT_FALSE(bad) << twice;
    EXPECT_EQ(bad.error().message, "gapbundle/index.json: components: must be a list");
}

TEST(IndexComponents, PlatformsAreKeptWhenGivenAndLeftOutWhenEmpty)
{
    Index index = with_components();
    index.components[1].platforms = {"linux/amd64", "linux/arm64/v8"};
    const auto bytes = to_canonical_json(index);
    EXPECT_NE(bytes.find(R"("platforms":["linux/amd64","linux/arm64/v8"])"), std::string::npos) << bytes;
    EXPECT_EQ(bytes.find("platforms"), bytes.rfind("platforms")) << "only the component that has them";
    auto parsed = parse_index(bytes);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(*parsed, index);

    const auto error_with = [&](const std::string& platforms) {
        auto document = nlohmann::json::parse(bytes);
        document["components"][1]["platforms"] = nlohmann::json::parse(platforms);
        auto bad = parse_index(document.dump());
        return bad ? std::string("(parsed)") : bad.error().message;
    };
    EXPECT_EQ(error_with("[]"), "gapbundle/index.json: components[1] (pip b 1.5): 'platforms' is left out when empty");
    EXPECT_EQ(error_with(R"(["linux/arm64","linux/amd64"])"),
              "gapbundle/index.json: components[1] (pip b 1.5): 'platforms': must be sorted and unique");
    EXPECT_EQ(error_with(R"([""])"),
              "gapbundle/index.json: components[1] (pip b 1.5): 'platforms': must be a list of non-empty strings");
}

}  // namespace
}  // namespace gapbundle::bundle
