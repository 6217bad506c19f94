#include <gapbundle/ops/bundle_diff.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace gapbundle::ops {
namespace {

using bundle::Component;
using bundle::Entry;
using bundle::EntryType;
using bundle::Index;

Entry file(std::string path, char digit, std::uint64_t size = 10)
{
    Entry entry;
    entry.path = std::move(path);
    entry.size = size;
    entry.sha256 = std::string(64, digit);
    return entry;
}

Entry link(std::string path, std::string target)
{
    Entry entry;
    entry.path = std::move(path);
    entry.type = EntryType::symlink;
    entry.mode = 0777;
    entry.link_target = std::move(target);
    return entry;
}

Component component(std::string kind, std::string name, std::string version, std::vector<std::string> paths)
{
    return Component{std::move(kind), std::move(name), std::move(version), PathList(paths.begin(), paths.end()), {}, {}, {}};
}

// An index as pack writes one: parent folders, gapbundle/SHA256SUMS, sorted.
Index make_index(std::vector<Entry> entries, std::vector<Component> components = {}, char sums = 'f')
{
    Index index;
    index.name = "nightly";
    entries.push_back(file("gapbundle/SHA256SUMS", sums));
    bundle::add_parent_dirs(entries);
    index.entries = std::move(entries);
    index.components = std::move(components);
    return index;
}

TEST(BundleDiffTest, IdenticalIndexesHaveNoDifferences)
{
    const Index index = make_index({file("files/a.txt", '1')}, {component("pip", "idna", "3.7", {})});
    const IndexDiff diff = diff_indexes(index, index);
    EXPECT_TRUE(diff.empty());
    EXPECT_EQ(diff.added() + diff.removed() + diff.changed(), 0u);
    EXPECT_EQ(diff.old_bytes, 10u);
    EXPECT_EQ(diff.new_bytes, 10u);
}

// A delta lists the files it leaves in its base: where the base holds one is how it travels, not
// what it is.
TEST(BundleDiffTest, AFileLeftInTheBaseIsTheSameFile)
{
    Entry kept = file("files/a.txt", '1');
    kept.set_path_in_base("files/a.txt");
    Entry moved = file("files/b.txt", '2');
    moved.set_path_in_base("files/old/b.txt");
    const Index full = make_index({file("files/a.txt", '1'), file("files/b.txt", '2')});
    EXPECT_TRUE(diff_indexes(full, make_index({kept, moved})).empty());
    Entry changed = file("files/b.txt", '3');
    changed.set_path_in_base("files/old/b.txt");
    const IndexDiff diff = diff_indexes(full, make_index({kept, changed}));
    ASSERT_EQ(diff.changed(), 1u);
    EXPECT_EQ(diff.folders.at("files").changed.at(0).new_entry.sha256, std::string(64, '3'));
}

// Indexes built by hand need not be sorted; a parsed one always is.
TEST(BundleDiffTest, ComparesEntriesByPathInWhateverOrderTheyCome)
{
    const Index old_index = make_index({file("files/a.txt", '1'), file("files/b.txt", '2'), file("files/c.txt", '3')});
    Index new_index = make_index({file("files/a.txt", '1'), file("files/b.txt", '9'), file("files/d.txt", '4')});
    const IndexDiff sorted = diff_indexes(old_index, new_index);
    std::ranges::reverse(new_index.entries);
    const IndexDiff reversed = diff_indexes(old_index, new_index);
    for (const IndexDiff* diff : {&sorted, &reversed}) {
        const FolderDiff& files = diff->folders.at("files");
        ASSERT_EQ(files.added.size(), 1u);
        EXPECT_EQ(files.added[0].path, "files/d.txt");
        ASSERT_EQ(files.removed.size(), 1u);
        EXPECT_EQ(files.removed[0].path, "files/c.txt");
        ASSERT_EQ(files.changed.size(), 1u);
        EXPECT_EQ(files.changed[0].new_entry.path, "files/b.txt");
    }
}

TEST(BundleDiffTest, ReportsComponentsAddedRemovedAndChangedByKind)
{
    const Index old_index = make_index({file("pypi/files/idna-3.7.whl", '1'), file("pypi/files/six-1.16.whl", '2'),
                                        file("pypi/files/urllib3-2.2.0.whl", '3')},
                                       {component("pip", "idna", "3.7", {"pypi/files/idna-3.7.whl"}),
                                        component("pip", "six", "1.16.0", {"pypi/files/six-1.16.whl"}),
                                        component("pip", "urllib3", "2.2.0", {"pypi/files/urllib3-2.2.0.whl"})});
    const Index new_index =
        make_index({file("hf/blob", '9'), file("pypi/files/idna-3.7.whl", '1'),
                    file("pypi/files/requests-2.32.whl", '4'), file("pypi/files/urllib3-2.2.1.whl", '5')},
                   {component("huggingface", "models/org/tiny", "abc123", {"hf/blob"}),
                    component("pip", "idna", "3.7", {"pypi/files/idna-3.7.whl"}),
                    component("pip", "requests", "2.32.0", {"pypi/files/requests-2.32.whl"}),
                    component("pip", "urllib3", "2.2.1", {"pypi/files/urllib3-2.2.1.whl"})});

    const IndexDiff diff = diff_indexes(old_index, new_index);
    ASSERT_EQ(diff.kinds.size(), 2u);
    const KindDiff& pip = diff.kinds.at("pip");
    EXPECT_EQ(pip.added, (std::vector<ComponentVersion>{{"requests", "2.32.0"}}));
    EXPECT_EQ(pip.removed, (std::vector<ComponentVersion>{{"six", "1.16.0"}}));
    EXPECT_EQ(pip.changed,
              (std::vector<ComponentChange>{{"urllib3", "2.2.0", "2.2.1", ComponentChangeReason::version}}));
    const KindDiff& hf = diff.kinds.at("huggingface");
    EXPECT_EQ(hf.added, (std::vector<ComponentVersion>{{"models/org/tiny", "abc123"}}));
    EXPECT_TRUE(hf.removed.empty());
    // The wheels and blob belong to their components: no entry is listed on its own.
    EXPECT_TRUE(diff.folders.empty());
    EXPECT_EQ(diff.added(), 2u);
    EXPECT_EQ(diff.removed(), 1u);
    EXPECT_EQ(diff.changed(), 1u);
    EXPECT_EQ(diff.old_bytes, 30u);
    EXPECT_EQ(diff.new_bytes, 40u);
}

TEST(BundleDiffTest, SameVersionWithOtherBytesIsARebuild)
{
    const auto image = [](char digit) {
        return make_index({file("oci/blobs/sha256/aa", digit), file("oci/blobs/sha256/bb", '2')},
                          {component("images", "127.0.0.1:5000/app:1", "sha256:0123",
                                     {"oci/blobs/sha256/aa", "oci/blobs/sha256/bb"})});
    };
    const IndexDiff diff = diff_indexes(image('1'), image('3'));
    ASSERT_EQ(diff.kinds.size(), 1u);
    EXPECT_EQ(diff.kinds.at("images").changed,
              (std::vector<ComponentChange>{
                  {"127.0.0.1:5000/app:1", "sha256:0123", "sha256:0123", ComponentChangeReason::contents}}));
    EXPECT_TRUE(diff.folders.empty());
}

TEST(BundleDiffTest, SameVersionWithOtherPathsIsARebuild)
{
    const Index old_index =
        make_index({file("pypi/files/a-1-py3.whl", '1')}, {component("pip", "a", "1", {"pypi/files/a-1-py3.whl"})});
    const Index new_index =
        make_index({file("pypi/files/a-1-cp311.whl", '1')}, {component("pip", "a", "1", {"pypi/files/a-1-cp311.whl"})});
    const IndexDiff diff = diff_indexes(old_index, new_index);
    EXPECT_EQ(diff.kinds.at("pip").changed,
              (std::vector<ComponentChange>{{"a", "1", "1", ComponentChangeReason::contents}}));
    EXPECT_TRUE(diff.folders.empty());
}

TEST(BundleDiffTest, SeveralVersionsOfANameCompareAsASet)
{
    const Index old_index =
        make_index({file("x/a1", '1'), file("x/a2", '2')},
                   {component("kindx", "a", "1.0", {"x/a1"}), component("kindx", "a", "2.0", {"x/a2"})});
    const Index new_index =
        make_index({file("x/a1", '7'), file("x/a3", '3')},
                   {component("kindx", "a", "1.0", {"x/a1"}), component("kindx", "a", "3.0", {"x/a3"})});
    const IndexDiff diff = diff_indexes(old_index, new_index);
    const KindDiff& kind = diff.kinds.at("kindx");
    EXPECT_TRUE(kind.added.empty());
    EXPECT_TRUE(kind.removed.empty());
    EXPECT_EQ(kind.changed, (std::vector<ComponentChange>{
                                {"a", "1.0", "1.0", ComponentChangeReason::contents},
                                {"a", "1.0, 2.0", "1.0, 3.0", ComponentChangeReason::versions},
                            }));
}

TEST(BundleDiffTest, OneVersionBecomingTwoIsAVersionSetChange)
{
    const Index old_index = make_index({file("x/a1", '1')}, {component("kindx", "a", "1.0", {"x/a1"})});
    const Index new_index =
        make_index({file("x/a1", '1'), file("x/a2", '2')},
                   {component("kindx", "a", "1.0", {"x/a1"}), component("kindx", "a", "2.0", {"x/a2"})});
    const IndexDiff diff = diff_indexes(old_index, new_index);
    EXPECT_EQ(diff.kinds.at("kindx").changed,
              (std::vector<ComponentChange>{{"a", "1.0", "1.0, 2.0", ComponentChangeReason::versions}}));
}

TEST(BundleDiffTest, ComparesLooseEntriesByPathUnderTheirTopFolder)
{
    const Index old_index =
        make_index({file("README", '1'), file("files/changed.txt", '1', 5), file("files/kept.txt", '2'),
                    file("files/removed.txt", '3', 7), file("other/x", '4')});
    Entry executable = file("other/x", '4');
    executable.mode = 0755;
    const Index new_index = make_index({file("README", '1'), file("files/added.txt", '5', 20),
                                        file("files/changed.txt", '6', 6), file("files/kept.txt", '2'), executable},
                                       {}, 'e');

    const IndexDiff diff = diff_indexes(old_index, new_index);
    EXPECT_TRUE(diff.kinds.empty());
    ASSERT_EQ(diff.folders.size(), 2u);  // not gapbundle/: its SHA256SUMS differs
    const FolderDiff& files = diff.folders.at("files");
    ASSERT_EQ(files.added.size(), 1u);
    EXPECT_EQ(files.added[0].path, "files/added.txt");
    ASSERT_EQ(files.removed.size(), 1u);
    EXPECT_EQ(files.removed[0].path, "files/removed.txt");
    ASSERT_EQ(files.changed.size(), 1u);
    EXPECT_EQ(files.changed[0].old_entry, file("files/changed.txt", '1', 5));
    EXPECT_EQ(files.changed[0].new_entry, file("files/changed.txt", '6', 6));
    const FolderDiff& other = diff.folders.at("other");
    ASSERT_EQ(other.changed.size(), 1u);
    EXPECT_EQ(other.changed[0].new_entry.mode, 0755u);
    EXPECT_EQ(diff.old_bytes, 42u);
    EXPECT_EQ(diff.new_bytes, 56u);
}

TEST(BundleDiffTest, SymlinksCompareByTargetAndFoldersAreNotListed)
{
    const Index old_index =
        make_index({file("hf/blobs/a", '1'), file("hf/blobs/b", '2'), link("hf/snap/m", "../blobs/a"),
                    link("hf/snap/same", "../blobs/a"), Entry{"hf/old", EntryType::dir, bundle::BasePath::none, 0755, 0, {}, {}}});
    const Index new_index =
        make_index({file("hf/blobs/a", '1'), file("hf/blobs/b", '2'), link("hf/snap/m", "../blobs/b"),
                    link("hf/snap/same", "../blobs/a"), Entry{"hf/new", EntryType::dir, bundle::BasePath::none, 0755, 0, {}, {}}});
    const IndexDiff diff = diff_indexes(old_index, new_index);
    ASSERT_EQ(diff.folders.size(), 1u);
    const FolderDiff& hf = diff.folders.at("hf");
    EXPECT_TRUE(hf.added.empty());
    EXPECT_TRUE(hf.removed.empty());
    ASSERT_EQ(hf.changed.size(), 1u);
    EXPECT_EQ(hf.changed[0].old_entry.link_target, "../blobs/a");
    EXPECT_EQ(hf.changed[0].new_entry.link_target, "../blobs/b");
}

TEST(BundleDiffTest, LinksIntoAComponentsFilesAreLeftToIt)
{
    // A model at a new commit: its snapshot links point at its blobs, so they are the component's
    // change; refs/main and a link to a file no component holds are still entries.
    const Index old_index = make_index(
        {file("hf/m/blobs/a", '1'), file("hf/m/refs/main", '2'), link("hf/m/snapshots/c1/config.json", "../../blobs/a"),
         file("hf/other", '4'), link("hf/m/snapshots/c1/sub/other", "../../../../other")},
        {component("huggingface", "models/org/m", "c1", {"hf/m/blobs/a"})});
    const Index new_index = make_index(
        {file("hf/m/blobs/b", '3'), file("hf/m/refs/main", '5'), link("hf/m/snapshots/c2/config.json", "../../blobs/b"),
         file("hf/other", '4'), link("hf/m/snapshots/c2/sub/other", "../../../../other")},
        {component("huggingface", "models/org/m", "c2", {"hf/m/blobs/b"})});
    const IndexDiff diff = diff_indexes(old_index, new_index);
    ASSERT_EQ(diff.kinds.at("huggingface").changed.size(), 1u);
    const FolderDiff& hf = diff.folders.at("hf");
    ASSERT_EQ(hf.changed.size(), 1u);
    EXPECT_EQ(hf.changed[0].new_entry.path, "hf/m/refs/main");
    ASSERT_EQ(hf.added.size(), 1u);
    EXPECT_EQ(hf.added[0].path, "hf/m/snapshots/c2/sub/other");
    ASSERT_EQ(hf.removed.size(), 1u);
    EXPECT_EQ(hf.removed[0].path, "hf/m/snapshots/c1/sub/other");
}

TEST(BundleDiffTest, EntriesOfAComponentOnOneSideAreLeftToIt)
{
    // A wheel that left the resolution is reported as the component's removal, not as an entry too.
    const Index old_index = make_index({file("pypi/files/six.whl", '1'), file("pypi/requirements.lock", '2')},
                                       {component("pip", "six", "1.16.0", {"pypi/files/six.whl"})});
    const Index new_index = make_index({file("pypi/requirements.lock", '3')});
    const IndexDiff diff = diff_indexes(old_index, new_index);
    EXPECT_EQ(diff.kinds.at("pip").removed, (std::vector<ComponentVersion>{{"six", "1.16.0"}}));
    ASSERT_EQ(diff.folders.size(), 1u);
    const FolderDiff& pypi = diff.folders.at("pypi");
    ASSERT_EQ(pypi.changed.size(), 1u);
    EXPECT_EQ(pypi.changed[0].new_entry.path, "pypi/requirements.lock");
    EXPECT_TRUE(pypi.removed.empty());
}

TEST(BundleDiffTest, ReasonsHaveStableNames)
{
    EXPECT_EQ(to_string(ComponentChangeReason::version), "version");
    EXPECT_EQ(to_string(ComponentChangeReason::versions), "versions");
    EXPECT_EQ(to_string(ComponentChangeReason::contents), "contents");
}

}  // namespace
}  // namespace gapbundle::ops
