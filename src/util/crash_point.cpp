#include <gapbundle/util/crash_point.hpp>

#include <unistd.h>
#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <string>

namespace gapbundle::crash {

namespace {

struct CrashTarget {
    std::string name;  // empty: no crash asked for
    unsigned long nth = 1;
};

CrashTarget read_target()
{
    CrashTarget target;
    const char* value = std::getenv("GAPBUNDLE_CRASH_AT");
    if (!value || !*value) return target;
    const std::string_view text(value);
    const auto colon = text.rfind(':');
    target.name = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) {
        const auto count = text.substr(colon + 1);
        const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), target.nth);
        if (ec != std::errc() || end != count.data() + count.size() || target.nth == 0) target.name.clear();
    }
    return target;
}

}  // namespace

void point(std::string_view name)
{
    static const CrashTarget target = read_target();
    static std::atomic<unsigned long> seen{0};
    if (target.name.empty() || name != target.name) return;
    if (seen.fetch_add(1) + 1 == target.nth) ::kill(::getpid(), SIGKILL);
}

}  // namespace gapbundle::crash
