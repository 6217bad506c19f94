#pragma once

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/bundle/verifier.hpp>
#include <gapbundle/util/error.hpp>
#include <gapbundle/util/time.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace gapbundle::ops {

// What the gap side accepted before, per channel: STATE_DIR/channels/<channel>.json, written
// durably (temp, fsync, rename, fsync folder) after each successful unpack and read by verify
// and unpack.
struct ChannelState {
    std::map<std::string, bundle::AcceptedBundle, std::less<>> accepted;
    time::Seconds newest_created = 0;  // the newest `created` ever accepted, on any channel
};

// A missing folder is an empty state; a damaged record is an error naming its file (the state is
// what stops a rollback, so it is never taken as empty).
Result<ChannelState> load_channel_state(const std::filesystem::path& state_dir);

// Creates the folder now, so that an unpack that could not record its bundle fails before it
// writes anything.
Status prepare_channel_state(const std::filesystem::path& state_dir);

Status record_accepted(const std::filesystem::path& state_dir, const bundle::Index& index,
                       const std::string& index_sha256);

}  // namespace gapbundle::ops
