#include "transfer_loop.hpp"

#include <gapbundle/util/interrupt.hpp>

#include "retry_policy.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <optional>
#include <random>
#include <ranges>
#include <unordered_map>

namespace gapbundle::net::detail {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto k_progress_interval = std::chrono::milliseconds(100);

class TransferLoop {
public:
    TransferLoop(const EngineOptions& options, std::span<Transfer* const> transfers,
                 const ProgressCallback& progress);
    ~TransferLoop();
    TransferLoop(const TransferLoop&) = delete;
    TransferLoop& operator=(const TransferLoop&) = delete;

    std::vector<Status> run();

private:
    void start_ready(Clock::time_point now);
    void collect_finished();
    void on_attempt_end(std::size_t index, CURLcode code);
    void finish(std::size_t index, Status status);
    void fail_unfinished(const std::string& why, ErrorCode code = ErrorCode::internal);
    [[nodiscard]] int poll_timeout_ms(Clock::time_point now) const;
    void report_progress(bool force);

    const EngineOptions& m_options;
    std::span<Transfer* const> m_transfers;
    const ProgressCallback& m_progress;
    UniqueMulti m_multi{curl_multi_init()};
    std::unordered_map<const Transfer*, std::size_t> m_index;
    std::vector<std::optional<Status>> m_results;
    std::vector<bool> m_running;
    std::deque<std::size_t> m_waiting;
    std::size_t m_running_count = 0;
    std::size_t m_finished = 0;
    std::mt19937 m_rng{std::random_device{}()};
    Clock::time_point m_last_progress{};
};

TransferLoop::TransferLoop(const EngineOptions& options, std::span<Transfer* const> transfers,
                           const ProgressCallback& progress)
    : m_options(options), m_transfers(transfers), m_progress(progress),
      m_results(transfers.size()), m_running(transfers.size(), false)
{
    for (std::size_t i = 0; i < transfers.size(); ++i) {
        m_index.emplace(transfers[i], i);
        m_waiting.push_back(i);
    }
}

TransferLoop::~TransferLoop()
{
    for (std::size_t i = 0; i < m_transfers.size(); ++i) {
        if (!m_running[i]) continue;
        curl_multi_remove_handle(m_multi.get(), m_transfers[i]->handle());
        m_transfers[i]->release_handle();
    }
}

std::vector<Status> TransferLoop::run()
{
    if (!m_multi) fail_unfinished("curl_multi_init failed");
    while (m_finished < m_transfers.size()) {
        if (interrupt::requested()) {
            fail_unfinished("interrupted", ErrorCode::interrupted);
            break;
        }
        start_ready(Clock::now());
        int still_running = 0;
        if (CURLMcode mc = curl_multi_perform(m_multi.get(), &still_running); mc != CURLM_OK) {
            fail_unfinished(std::string("curl_multi_perform: ") + curl_multi_strerror(mc));
            break;
        }
        collect_finished();
        report_progress(false);
        if (m_finished == m_transfers.size()) break;
        // Short polls keep Ctrl-C responsive.
        const int timeout = std::min(poll_timeout_ms(Clock::now()), 250);
        if (CURLMcode mc = curl_multi_poll(m_multi.get(), nullptr, 0, timeout, nullptr); mc != CURLM_OK) {
            fail_unfinished(std::string("curl_multi_poll: ") + curl_multi_strerror(mc));
            break;
        }
    }
    report_progress(true);
    std::vector<Status> out;
    out.reserve(m_results.size());
    for (auto& result : m_results) out.push_back(std::move(*result));
    return out;
}

void TransferLoop::start_ready(Clock::time_point now)
{
    const auto jobs = static_cast<std::size_t>(std::max(m_options.jobs, 1));
    for (auto it = m_waiting.begin(); it != m_waiting.end() && m_running_count < jobs;) {
        const std::size_t i = *it;
        Transfer& transfer = *m_transfers[i];
        if (transfer.not_before > now) {
            ++it;
            continue;
        }
        it = m_waiting.erase(it);
        auto easy = transfer.begin_attempt(m_options);
        if (!easy) {
            finish(i, std::unexpected(easy.error()));
            continue;
        }
        if (CURLMcode mc = curl_multi_add_handle(m_multi.get(), *easy); mc != CURLM_OK) {
            transfer.release_handle();
            finish(i, fail(ErrorCode::internal, std::string("curl_multi_add_handle: ") + curl_multi_strerror(mc)));
            continue;
        }
        m_running[i] = true;
        ++m_running_count;
    }
}

void TransferLoop::collect_finished()
{
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(m_multi.get(), &left)) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL* easy = msg->easy_handle;
        const CURLcode code = msg->data.result;  // msg dies with remove_handle
        char* owner = nullptr;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, &owner);
        curl_multi_remove_handle(m_multi.get(), easy);
        const auto found = m_index.find(reinterpret_cast<const Transfer*>(owner));
        if (found == m_index.end()) continue;  // not ours: cannot happen
        m_running[found->second] = false;
        --m_running_count;
        on_attempt_end(found->second, code);
    }
}

void TransferLoop::on_attempt_end(std::size_t index, CURLcode code)
{
    Transfer& transfer = *m_transfers[index];
    AttemptOutcome outcome = transfer.end_attempt(code);
    transfer.release_handle();
    switch (outcome.kind) {
    case AttemptOutcome::Kind::success:
        finish(index, transfer.complete());
        return;
    case AttemptOutcome::Kind::failure:
        finish(index, std::unexpected(std::move(outcome.error)));
        return;
    case AttemptOutcome::Kind::retry:
        break;
    }
    if (transfer.attempts() >= std::max(m_options.max_attempts, 1)) {
        outcome.error.message += " (after " + std::to_string(transfer.attempts()) + " attempts)";
        finish(index, std::unexpected(std::move(outcome.error)));
        return;
    }
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    transfer.not_before = Clock::now() + retry_delay(m_options, transfer.attempts(), outcome.retry_after, unit(m_rng));
    m_waiting.push_front(index);  // keeps its place ahead of transfers not started yet
}

void TransferLoop::finish(std::size_t index, Status status)
{
    if (!status) m_transfers[index]->discard();
    m_results[index] = std::move(status);
    ++m_finished;
}

void TransferLoop::fail_unfinished(const std::string& why, ErrorCode code)
{
    for (std::size_t i = 0; i < m_transfers.size(); ++i) {
        if (m_results[i]) continue;
        if (m_running[i]) {
            curl_multi_remove_handle(m_multi.get(), m_transfers[i]->handle());
            m_transfers[i]->release_handle();
            m_running[i] = false;
        }
        finish(i, fail(code, m_transfers[i]->where() + why));
    }
    m_waiting.clear();
    m_running_count = 0;
}

int TransferLoop::poll_timeout_ms(Clock::time_point now) const
{
    auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(k_progress_interval);
    const auto jobs = static_cast<std::size_t>(std::max(m_options.jobs, 1));
    if (m_running_count < jobs) {
        for (std::size_t i : m_waiting) {
            const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(m_transfers[i]->not_before - now);
            timeout = std::min(timeout, std::max(until, std::chrono::milliseconds(0)));
        }
    }
    return static_cast<int>(timeout.count());
}

void TransferLoop::report_progress(bool force)
{
    if (!m_progress) return;
    const auto now = Clock::now();
    if (!force && now - m_last_progress < k_progress_interval) return;
    m_last_progress = now;
    Progress p;
    // Progress counts the caller's requests: a file fetched as byte ranges is done with its last range.
    std::unordered_map<std::size_t, bool> request_done;
    bool total_known = true;
    for (std::size_t i = 0; i < m_transfers.size(); ++i) {
        const Transfer& t = *m_transfers[i];
        bool& done_so_far = request_done.try_emplace(t.request.value_or(i), true).first->second;
        done_so_far = done_so_far && m_results[i].has_value();
        if (m_results[i] && !*m_results[i]) continue;  // failed: counts for nothing
        const std::uint64_t done = t.bytes_done();
        const std::uint64_t total = m_results[i] ? done : t.bytes_total();
        if (total == 0 && !m_results[i]) total_known = false;
        p.bytes_done += done;
        p.bytes_total += total;
    }
    if (!total_known) p.bytes_total = 0;
    p.transfers_total = request_done.size();
    p.transfers_done = static_cast<std::size_t>(std::ranges::count(request_done | std::views::values, true));
    m_progress(p);
}

}  // namespace

std::vector<Status> run_transfers(const EngineOptions& options, std::span<Transfer* const> transfers,
                                  const ProgressCallback& progress)
{
    TransferLoop loop(options, transfers, progress);
    return loop.run();
}

}  // namespace gapbundle::net::detail
