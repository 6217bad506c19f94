#pragma once

// Pages rendered by a real browser: Debian's Chromium, headless, its network use turned off.

#include <filesystem>
#include <set>
#include <string>
#include <utility>

namespace gapbundle::testing {

// The DOM Chromium builds from `page` (a local HTML file), after writing a screenshot of it as
// PAGE.png and keeping that under $GAPBUNDLE_TEST_ARTIFACTS (ctest sets it to
// build/test-artifacts), named after the running test. `scratch` holds Chromium's profile.
// Fails the running test (not fatally) when Chromium is missing or fails.
std::string render_in_chromium(const std::filesystem::path& page, const std::filesystem::path& scratch);

// (kind, name) of every <tr class="component" data-kind=… data-name=…> of a report's DOM.
std::set<std::pair<std::string, std::string>> component_rows(const std::string& dom);

}  // namespace gapbundle::testing
