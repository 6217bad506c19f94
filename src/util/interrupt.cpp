#include <gapbundle/util/interrupt.hpp>

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace gapbundle::interrupt {

namespace {

std::atomic<bool> g_requested{false};

extern "C" void on_signal(int)
{
    if (g_requested.exchange(true)) ::_exit(130);
}

}  // namespace

void install_handlers()
{
    struct sigaction action{};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

bool requested()
{
    return g_requested.load(std::memory_order_relaxed);
}

void request()
{
    g_requested.store(true);
}

Status check()
{
    if (requested()) return fail(ErrorCode::interrupted, "interrupted");
    return {};
}

}  // namespace gapbundle::interrupt
