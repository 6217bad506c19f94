#include "support/test_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <unistd.h>

namespace gapbundle::testing {

namespace stdfs = std::filesystem;

void TestDirFixture::SetUp()
{
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const char* tmp = std::getenv("TMPDIR");
    stdfs::path base = stdfs::path(tmp && *tmp ? tmp : "/tmp") / "gapbundle-tests";
    stdfs::create_directories(base);
    std::string name = std::string(info->test_suite_name()) + "." + info->name();
    for (char& c : name)
        if (c == '/') c = '_';
    std::string templ = (base / (name + ".XXXXXX")).string();
    if (!mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed for " + templ);
    m_dir = templ;
}

void TestDirFixture::TearDown()
{
    if (HasFailure()) {
        std::fprintf(stderr, "test folder kept: %s\n", m_dir.c_str());
        return;
    }
    std::error_code ec;
    // Tests may leave read-only folders behind; make them writable before removing.
    for (auto it = stdfs::recursive_directory_iterator(m_dir, ec); !ec && it != stdfs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_directory(ec) && !it->is_symlink(ec)) stdfs::permissions(it->path(), stdfs::perms::owner_all, stdfs::perm_options::add, ec);
    stdfs::remove_all(m_dir, ec);
}

void write_text(const stdfs::path& path, const std::string& content)
{
    if (path.has_parent_path()) stdfs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_text(const stdfs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace gapbundle::testing
