#pragma once

#include <gapbundle/bundle/index.hpp>
#include <gapbundle/bundle/verifier.hpp>
#include <gapbundle/util/error.hpp>
#include <gapbundle/util/file_handles.hpp>
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

// A missing folder is an empty state; anchors left by killed runs count as resolved (above). A damaged record is an error naming its file (the state is
// what stops a rollback, so it is never taken as empty).
Result<ChannelState> load_channel_state(const std::filesystem::path& state_dir);

// Creates the folder now, so that an unpack that could not record its bundle fails before it
// writes anything.
Status prepare_channel_state(const std::filesystem::path& state_dir);

Status record_accepted(const std::filesystem::path& state_dir, const bundle::Index& index,
                       const std::string& index_sha256);

// The roll-forward anchor. Just before an unpack commits (renames its tree into place, or switches
// current/<channel>), it writes STATE/channels/<channel>.pending naming the bundle (serial, index
// digest) and `holder`, the folder whose gapbundle/index.json holds that index once committed.
// A run killed between the commit and the record leaves the anchor behind, and whoever reads the
// state next resolves it against the disk: the holder has the index, so the bundle was committed
// and counts as accepted (load_channel_state); else it never was, and the anchor means nothing.
// The returned lock on the anchor marks its run as alive: hold it until the anchor is cleared.
Result<UniqueFd> write_anchor(const std::filesystem::path& state_dir, const bundle::Index& index,
                              const std::string& index_sha256, const std::filesystem::path& holder);
Status clear_anchor(const std::filesystem::path& state_dir, const std::string& channel);
// Records what the anchors of killed runs resolve to and removes them (unpack, before it decides;
// verify only reads them through load_channel_state and never writes). An anchor whose run is
// still alive (it holds the anchor's lock) is left to that run.
Status settle_anchors(const std::filesystem::path& state_dir);

}  // namespace gapbundle::ops
