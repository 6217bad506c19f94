#include <gapbundle/sources/pypi/specifier.hpp>

#include "print.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

// Test vectors from pypa/packaging's tests/test_specifiers.py, re-expressed as data.
// packaging's "no preference" (None) maps to Prereleases::by_specifier for filter(); for the
// membership of one version packaging 26 lets a pre-release in, so those rows use allow.

namespace gapbundle::sources::pypi {
namespace {

struct MatchCase {
    std::string version;
    std::string specifier;
    Prereleases policy;
    bool expected;
};

struct DetectionCase {
    std::string specifier;
    bool mentions;
};

struct FilterCase {
    std::string specifier;
    Prereleases policy;
    std::vector<std::string> input;
    std::vector<std::string> expected;
};

// packaging: TestSpecifier.test_specifiers, evaluated with pre-releases allowed.
const std::vector<MatchCase> k_matches = {
    {.version = "2.0", .specifier = "==2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = "==2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = "==2.0.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0+deadbeef", .specifier = "==2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0+deadbeef", .specifier = "==2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0+deadbeef", .specifier = "==2.0.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0+deadbeef", .specifier = "==2+deadbeef", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0+deadbeef", .specifier = "==2.0+deadbeef", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0+deadbeef", .specifier = "==2.0.0+deadbeef", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0+deadbeef.0", .specifier = "==2.0.0+deadbeef.00", .policy = Prereleases::allow, .expected = true},
    {.version = "2.dev1", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2a1", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2a1.post1", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2b1", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2b1.dev1", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2c1", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2c1.post1.dev1", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2c1.post1.dev1", .specifier = "==2.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2rc1", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2rc1", .specifier = "==2.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2", .specifier = "==2.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2", .specifier = "==2.0.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2", .specifier = "==0!2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "0!2", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.0", .specifier = "==2.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.0.0", .specifier = "==2.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2.1+local.version", .specifier = "==2.1.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2.1", .specifier = "!=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.1", .specifier = "!=2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.1", .specifier = "!=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.1", .specifier = "!=2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.1", .specifier = "!=2.0.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = "!=2.0+deadbeef", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = "!=3.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2.1", .specifier = "!=2.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "3", .specifier = "!=2.0.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2.1.0.0", .specifier = "!=2.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = ">=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = ">=2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = ">=2.0.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.post1", .specifier = ">=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.post1.dev1", .specifier = ">=2", .policy = Prereleases::allow, .expected = true},
    {.version = "3", .specifier = ">=2", .policy = Prereleases::allow, .expected = true},
    {.version = "3.0.0a8", .specifier = ">=3.0.0a7", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = "<=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = "<=2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = "<=2.0.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.dev1", .specifier = "<=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0a1", .specifier = "<=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0a1.dev1", .specifier = "<=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0b1", .specifier = "<=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0b1.post1", .specifier = "<=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0c1", .specifier = "<=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0c1.post1.dev1", .specifier = "<=2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0rc1", .specifier = "<=2", .policy = Prereleases::allow, .expected = true},
    {.version = "1", .specifier = "<=2", .policy = Prereleases::allow, .expected = true},
    {.version = "3.0.0a7", .specifier = "<=3.0.0a8", .policy = Prereleases::allow, .expected = true},
    {.version = "3", .specifier = ">2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.1", .specifier = ">2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.1", .specifier = ">2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.1.post1", .specifier = ">2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.1+local.version", .specifier = ">2", .policy = Prereleases::allow, .expected = true},
    {.version = "3.0.0a8", .specifier = ">3.0.0a7", .policy = Prereleases::allow, .expected = true},
    {.version = "1", .specifier = "<2", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0", .specifier = "<2.1", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.dev0", .specifier = "<2.1", .policy = Prereleases::allow, .expected = true},
    {.version = "3.0.0a7", .specifier = "<3.0.0a8", .policy = Prereleases::allow, .expected = true},
    {.version = "1", .specifier = "~=1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.1", .specifier = "~=1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.1", .specifier = "~=1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.9999999", .specifier = "~=1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.1", .specifier = "~=1.0a1", .policy = Prereleases::allow, .expected = true},
    {.version = "2022.01.01", .specifier = "~=2022.01.01", .policy = Prereleases::allow, .expected = true},
    {.version = "2!1.0", .specifier = "~=2!1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2!1.0", .specifier = "==2!1.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2!1.0", .specifier = "==2!1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2!1.0", .specifier = "!=1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2!1.0.0", .specifier = "==2!1.0.0.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2!1.0.0", .specifier = "==2!1.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2!1.0.0", .specifier = "==2!1.*", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0", .specifier = "!=2!1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0", .specifier = "<=2!0.1", .policy = Prereleases::allow, .expected = true},
    {.version = "2!1.0", .specifier = ">=2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0", .specifier = "<2!0.1", .policy = Prereleases::allow, .expected = true},
    {.version = "2!1.0", .specifier = ">2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.5", .specifier = ">2.0dev", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+local", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "4.1.0a2.dev1235+local",
     .specifier = ">4.1.0a2.dev1234",
     .policy = Prereleases::allow,
     .expected = true},
    {.version = "1.0a2+local", .specifier = ">1.0a1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0b2+local", .specifier = ">1.0b1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0rc2+local", .specifier = ">1.0rc1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post2+local", .specifier = ">1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev2+local", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0a1.dev2+local", .specifier = ">1.0a1.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post1.dev2+local", .specifier = ">1.0.post1.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "2.1", .specifier = "==2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.1", .specifier = "==2.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2.1", .specifier = "==2.0.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0", .specifier = "==2.0+deadbeef", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0", .specifier = "==3.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2.1", .specifier = "==2.0.*", .policy = Prereleases::allow, .expected = false},
    {.version = "3", .specifier = "==2.0.0.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2.1.0.0", .specifier = "==2.0.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0", .specifier = "!=2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0", .specifier = "!=2.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0", .specifier = "!=2.0.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0+deadbeef", .specifier = "!=2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0+deadbeef", .specifier = "!=2.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0+deadbeef", .specifier = "!=2.0.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0+deadbeef", .specifier = "!=2+deadbeef", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0+deadbeef", .specifier = "!=2.0+deadbeef", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0+deadbeef", .specifier = "!=2.0.0+deadbeef", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0+deadbeef.0", .specifier = "!=2.0.0+deadbeef.00", .policy = Prereleases::allow, .expected = false},
    {.version = "2.dev1", .specifier = "!=2.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2a1", .specifier = "!=2.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2a1.post1", .specifier = "!=2.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2b1", .specifier = "!=2.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2b1.dev1", .specifier = "!=2.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2c1", .specifier = "!=2.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2c1.post1.dev1", .specifier = "!=2.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2c1.post1.dev1", .specifier = "!=2.0.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2rc1", .specifier = "!=2.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2rc1", .specifier = "!=2.0.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2", .specifier = "!=2.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2", .specifier = "!=2.0.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2", .specifier = "!=2.0.0.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0", .specifier = "!=2.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0.0", .specifier = "!=2.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0.0.0", .specifier = "!=2.0.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0.dev1", .specifier = ">=2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0a1", .specifier = ">=2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0a1.dev1", .specifier = ">=2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0b1", .specifier = ">=2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0b1.post1", .specifier = ">=2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0c1", .specifier = ">=2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0c1.post1.dev1", .specifier = ">=2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0rc1", .specifier = ">=2", .policy = Prereleases::allow, .expected = false},
    {.version = "1", .specifier = ">=2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0.post1", .specifier = "<=2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0.post1.dev1", .specifier = "<=2", .policy = Prereleases::allow, .expected = false},
    {.version = "3", .specifier = "<=2", .policy = Prereleases::allow, .expected = false},
    {.version = "1", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0.dev1", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0a1", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0a1.post1", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0b1", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0b1.dev1", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0c1", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0c1.post1.dev1", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0rc1", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0.post1", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0.post1.dev1", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0+local.version", .specifier = ">2", .policy = Prereleases::allow, .expected = false},
    {.version = "4.1.0a2.dev1234+local",
     .specifier = ">4.1.0a2.dev1234",
     .policy = Prereleases::allow,
     .expected = false},
    {.version = "1.0a1+local", .specifier = ">1.0a1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0b1+local", .specifier = ">1.0b1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0rc1+local", .specifier = ">1.0rc1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0.post1+local", .specifier = ">1.0.post1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0.dev1+local", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0a1.dev1+local", .specifier = ">1.0a1.dev1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0.post1.dev1+local",
     .specifier = ">1.0.post1.dev1",
     .policy = Prereleases::allow,
     .expected = false},
    {.version = "2.0.dev1", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0a1", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0a1.post1", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0b1", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0b2.dev1", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0c1", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0c1.post1.dev1", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0rc1", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.post1", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.post1.dev1", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "3", .specifier = "<2", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0", .specifier = "~=1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "1.1.0", .specifier = "~=1.0.0", .policy = Prereleases::allow, .expected = false},
    {.version = "1.1.post1", .specifier = "~=1.0.0", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0", .specifier = "~=2!1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2!1.0", .specifier = "~=1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2!1.0", .specifier = "==1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0", .specifier = "==2!1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2!1.0", .specifier = "==1.0.0.*", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0", .specifier = "==2!1.0.0.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2!1.0", .specifier = "==1.*", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0", .specifier = "==2!1.*", .policy = Prereleases::allow, .expected = false},
    {.version = "2!1.0", .specifier = "!=2!1.0", .policy = Prereleases::allow, .expected = false},
    // packaging: test_specifiers_prereleases (no preference given: allowed, as packaging 26 does for one version).
    {.version = "2.0.dev1", .specifier = ">=1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0a1", .specifier = ">=2.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0a1.dev1", .specifier = "==2.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev1", .specifier = "<=2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0a1", .specifier = "<=2.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0a1", .specifier = "<2.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0a1", .specifier = "<2.0a2", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev0", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0.dev2", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post0", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post1", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post0", .specifier = ">1.0.dev0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post0", .specifier = ">1.0a1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post0", .specifier = ">1.0b1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post0", .specifier = ">1.0rc1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0a1.post0", .specifier = ">1.0a1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0b2.post0", .specifier = ">1.0b2", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0rc1.post0", .specifier = ">1.0rc1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0a2.post0", .specifier = ">1.0a1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0b2.post0", .specifier = ">1.0b1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0a1", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.1", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post0", .specifier = ">1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0.post1", .specifier = ">1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0.post0", .specifier = ">1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "0.9.post0", .specifier = ">1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "1.1.post0", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "0.9.post0", .specifier = ">1.0.dev1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0.post1.dev0", .specifier = "<1.0.post1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0.post0.dev0", .specifier = "<1.0.post0", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0.dev0", .specifier = "<1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0a1", .specifier = "<1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0rc1", .specifier = "<1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev0", .specifier = "<1.0.post0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0a1", .specifier = "<1.0.post0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0b1", .specifier = "<1.0.post0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0rc2", .specifier = "<1.0.post0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post0.dev0", .specifier = "<1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post1.dev0", .specifier = "<1.0.post2", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0", .specifier = "<1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post0", .specifier = "<1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "0.9", .specifier = "<1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0", .specifier = "<1.0.post0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev0", .specifier = "<1.0.post10", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post9.dev0", .specifier = "<1.0.post10", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post9", .specifier = "<1.0.post10", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+local", .specifier = "<1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post0+local", .specifier = "<1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "0.9.dev0", .specifier = "<1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev1", .specifier = "<=2.0", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "<=2.0a1", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "<=2.0", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "<=2.0a1", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "<=2.0", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "<=2.0a1", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "<=2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev1", .specifier = "<=2.0a1", .policy = Prereleases::allow, .expected = true},
    // packaging: test_specifier_prereleases_set, final state.
    {.version = "1.0.dev1", .specifier = ">1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "2.0.dev1", .specifier = ">1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.dev1", .specifier = ">1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.dev1", .specifier = ">1.0", .policy = Prereleases::exclude, .expected = false},
    {.version = "2.0a1", .specifier = ">=2.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0a1", .specifier = ">=2.0.dev1", .policy = Prereleases::exclude, .expected = false},
    {.version = "2.0a1", .specifier = ">1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0b1", .specifier = ">1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0rc1", .specifier = ">1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.dev1", .specifier = "==2.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.dev1", .specifier = "==2.0.*", .policy = Prereleases::exclude, .expected = false},
    {.version = "0.9.dev1", .specifier = "<1.0.dev1", .policy = Prereleases::exclude, .expected = false},
    {.version = "2.0.dev1", .specifier = ">1.0", .policy = Prereleases::exclude, .expected = false},
    // packaging: test_arbitrary_equality, the rows whose candidate is a valid version.
    {.version = "1.0.0", .specifier = "===1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0.dev0", .specifier = "===1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0", .specifier = "===1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev0", .specifier = "===1.0.dev0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+downstream1", .specifier = "===1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0", .specifier = "===1.0+downstream1", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0a1", .specifier = "===1.0a1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0A1", .specifier = "===1.0A1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0a1", .specifier = "===1.0A1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0A1", .specifier = "===1.0a1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0b1", .specifier = "===1.0b1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0B1", .specifier = "===1.0B1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0b1", .specifier = "===1.0B1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0B1", .specifier = "===1.0b1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0rc1", .specifier = "===1.0rc1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0RC1", .specifier = "===1.0RC1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0rc1", .specifier = "===1.0RC1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0RC1", .specifier = "===1.0rc1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post1", .specifier = "===1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.POST1", .specifier = "===1.0.POST1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.post1", .specifier = "===1.0.POST1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.POST1", .specifier = "===1.0.post1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev1", .specifier = "===1.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.DEV1", .specifier = "===1.0.DEV1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev1", .specifier = "===1.0.DEV1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.DEV1", .specifier = "===1.0.dev1", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+local", .specifier = "===1.0+local", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+LOCAL", .specifier = "===1.0+LOCAL", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+local", .specifier = "===1.0+LOCAL", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+LOCAL", .specifier = "===1.0+local", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+abc.def", .specifier = "===1.0+abc.def", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+ABC.DEF", .specifier = "===1.0+ABC.DEF", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+abc.def", .specifier = "===1.0+ABC.DEF", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+ABC.DEF", .specifier = "===1.0+abc.def", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+AbC", .specifier = "===1.0+AbC", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+AbC", .specifier = "===1.0+abc", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0+AbC", .specifier = "===1.0+ABC", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0a1.post2.dev3", .specifier = "===1.0a1.post2.dev3", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0A1.POST2.DEV3", .specifier = "===1.0A1.POST2.DEV3", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0a1.post2.dev3", .specifier = "===1.0A1.POST2.DEV3", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0A1.POST2.DEV3", .specifier = "===1.0a1.post2.dev3", .policy = Prereleases::allow, .expected = true},
};

// packaging: TestSpecifier.test_specifiers_invalid (ASCII rows).
const std::vector<std::string> k_invalid = {
    "2.0",
    "=>2.0",
    "==",
    "~=1.0+5",
    ">=1.0+deadbeef",
    "<=1.0+abc123",
    ">1.0+watwat",
    "<1.0+1.0",
    "~=1.0.*",
    ">=1.0.*",
    "<=1.0.*",
    ">1.0.*",
    "<1.0.*",
    "==1.0.*+5",
    "!=1.0.*+deadbeef",
    "==2.0a1.*",
    "!=2.0a1.*",
    "==2.0.post1.*",
    "!=2.0.post1.*",
    "==2.0.dev1.*",
    "!=2.0.dev1.*",
    "==1.0+5.*",
    "!=1.0+deadbeef.*",
    "==1.0.*.5",
    "~=1",
    "==1.0.dev1.*",
    "!=1.0.dev1.*",
};

// packaging: test_specifier_prereleases_detection.
const std::vector<DetectionCase> k_detection = {
    {.specifier = "==1.0", .mentions = false},      {.specifier = ">=1.0", .mentions = false},
    {.specifier = "<=1.0", .mentions = false},      {.specifier = "~=1.0", .mentions = false},
    {.specifier = "<1.0", .mentions = false},       {.specifier = ">1.0", .mentions = false},
    {.specifier = "<1.0.dev1", .mentions = true},   {.specifier = ">1.0.dev1", .mentions = true},
    {.specifier = "!=1.0.dev1", .mentions = false}, {.specifier = "==1.0.*", .mentions = false},
    {.specifier = "==1.0.dev1", .mentions = true},  {.specifier = ">=1.0.dev1", .mentions = true},
    {.specifier = "<=1.0.dev1", .mentions = true},  {.specifier = "~=1.0.dev1", .mentions = true},
};

// packaging: TestSpecifier.test_specifier_filter and TestSpecifierSet.test_specifier_filter,
// rows whose inputs are all valid versions.
const std::vector<FilterCase> k_filters = {
    {.specifier = ">=1.0.dev1",
     .policy = Prereleases::by_specifier,
     .input = {"1.0", "2.0a1"},
     .expected = {"1.0", "2.0a1"}},
    {.specifier = ">=1.2.3", .policy = Prereleases::by_specifier, .input = {"1.2", "1.5a1"}, .expected = {"1.5a1"}},
    {.specifier = ">=1.2.3", .policy = Prereleases::by_specifier, .input = {"1.3", "1.5a1"}, .expected = {"1.3"}},
    {.specifier = ">=1.0", .policy = Prereleases::by_specifier, .input = {"2.0a1"}, .expected = {"2.0a1"}},
    {.specifier = "!=2.0a1",
     .policy = Prereleases::by_specifier,
     .input = {"1.0a2", "1.0", "2.0a1"},
     .expected = {"1.0"}},
    {.specifier = "==2.0a1", .policy = Prereleases::by_specifier, .input = {"2.0a1"}, .expected = {"2.0a1"}},
    {.specifier = ">2.0a1",
     .policy = Prereleases::by_specifier,
     .input = {"2.0a1", "3.0a2", "3.0"},
     .expected = {"3.0a2", "3.0"}},
    {.specifier = "<2.0a1",
     .policy = Prereleases::by_specifier,
     .input = {"1.0a2", "1.0", "2.0a1"},
     .expected = {"1.0a2", "1.0"}},
    {.specifier = "~=2.0a1",
     .policy = Prereleases::by_specifier,
     .input = {"1.0", "2.0a1", "3.0a2", "3.0"},
     .expected = {"2.0a1"}},
    {.specifier = ">=1.0.dev1", .policy = Prereleases::exclude, .input = {"1.0", "2.0a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0.dev1", .policy = Prereleases::allow, .input = {"1.0", "2.0a1"}, .expected = {"1.0", "2.0a1"}},
    {.specifier = ">=1.0.dev1", .policy = Prereleases::exclude, .input = {"1.0", "2.0a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0", .policy = Prereleases::exclude, .input = {"1.0", "2.0a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0", .policy = Prereleases::allow, .input = {"1.0", "2.0a1"}, .expected = {"1.0", "2.0a1"}},
    {.specifier = ">=1.0", .policy = Prereleases::allow, .input = {"1.0", "2.0a1"}, .expected = {"1.0", "2.0a1"}},
    {.specifier = ">=1.0", .policy = Prereleases::exclude, .input = {"1.0", "2.0a1"}, .expected = {"1.0"}},
    {.specifier = "===1.0", .policy = Prereleases::by_specifier, .input = {"1.0", "1.0.0", "2.0"}, .expected = {"1.0"}},
    {.specifier = "===1.0",
     .policy = Prereleases::by_specifier,
     .input = {"1.0", "1.0+downstream1"},
     .expected = {"1.0"}},
    {.specifier = "", .policy = Prereleases::by_specifier, .input = {"1.0", "2.0a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0.dev1",
     .policy = Prereleases::by_specifier,
     .input = {"1.0", "2.0a1"},
     .expected = {"1.0", "2.0a1"}},
    {.specifier = "", .policy = Prereleases::by_specifier, .input = {"1.0a1"}, .expected = {"1.0a1"}},
    {.specifier = ">=1.2.3", .policy = Prereleases::by_specifier, .input = {"1.2", "1.5a1"}, .expected = {"1.5a1"}},
    {.specifier = ">=1.2.3", .policy = Prereleases::by_specifier, .input = {"1.3", "1.5a1"}, .expected = {"1.3"}},
    {.specifier = "", .policy = Prereleases::by_specifier, .input = {"1.0", "2.0"}, .expected = {"1.0", "2.0"}},
    {.specifier = ">=1.0", .policy = Prereleases::by_specifier, .input = {"2.0a1"}, .expected = {"2.0a1"}},
    {.specifier = "!=2.0a1",
     .policy = Prereleases::by_specifier,
     .input = {"1.0a2", "1.0", "2.0a1"},
     .expected = {"1.0"}},
    {.specifier = "==2.0a1", .policy = Prereleases::by_specifier, .input = {"2.0a1"}, .expected = {"2.0a1"}},
    {.specifier = ">2.0a1",
     .policy = Prereleases::by_specifier,
     .input = {"2.0a1", "3.0a2", "3.0"},
     .expected = {"3.0a2", "3.0"}},
    {.specifier = "<2.0a1",
     .policy = Prereleases::by_specifier,
     .input = {"1.0a2", "1.0", "2.0a1"},
     .expected = {"1.0a2", "1.0"}},
    {.specifier = "~=2.0a1",
     .policy = Prereleases::by_specifier,
     .input = {"1.0", "2.0a1", "3.0a2", "3.0"},
     .expected = {"2.0a1"}},
    {.specifier = "", .policy = Prereleases::exclude, .input = {"1.0a1"}, .expected = {}},
    {.specifier = ">=1.0.dev1", .policy = Prereleases::exclude, .input = {"1.0", "2.0a1"}, .expected = {"1.0"}},
    {.specifier = "", .policy = Prereleases::allow, .input = {"1.0", "2.0a1"}, .expected = {"1.0", "2.0a1"}},
    {.specifier = "", .policy = Prereleases::allow, .input = {"1.0", "2.0a1"}, .expected = {"1.0", "2.0a1"}},
    {.specifier = "", .policy = Prereleases::exclude, .input = {"1.0", "2.0a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0.dev1", .policy = Prereleases::allow, .input = {"1.0", "2.0a1"}, .expected = {"1.0", "2.0a1"}},
    {.specifier = ">=1.0.dev1", .policy = Prereleases::exclude, .input = {"1.0", "2.0a1"}, .expected = {"1.0"}},
    {.specifier = "", .policy = Prereleases::allow, .input = {"1.0a1"}, .expected = {"1.0a1"}},
    {.specifier = "", .policy = Prereleases::exclude, .input = {"1.0a1"}, .expected = {}},
    {.specifier = ">=1.0", .policy = Prereleases::exclude, .input = {"1.0", "2.0a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0", .policy = Prereleases::allow, .input = {"1.0", "2.0a1"}, .expected = {"1.0", "2.0a1"}},
    {.specifier = ">=1.0", .policy = Prereleases::allow, .input = {"1.0", "2.0a1"}, .expected = {"1.0", "2.0a1"}},
    {.specifier = ">=1.0", .policy = Prereleases::exclude, .input = {"1.0", "2.0a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0,<=2.0", .policy = Prereleases::by_specifier, .input = {"1.0", "1.5a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0,<=2.0dev",
     .policy = Prereleases::by_specifier,
     .input = {"1.0", "1.5a1"},
     .expected = {"1.0", "1.5a1"}},
    {.specifier = ">=1.0,<=2.0", .policy = Prereleases::allow, .input = {"1.0", "1.5a1"}, .expected = {"1.0", "1.5a1"}},
    {.specifier = ">=1.0,<=2.0", .policy = Prereleases::exclude, .input = {"1.0", "1.5a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0,<=2.0dev", .policy = Prereleases::exclude, .input = {"1.0", "1.5a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0,<=2.0dev",
     .policy = Prereleases::allow,
     .input = {"1.0", "1.5a1"},
     .expected = {"1.0", "1.5a1"}},
    {.specifier = ">=1.0,<=2.0", .policy = Prereleases::exclude, .input = {"1.0", "1.5a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0,<=2.0", .policy = Prereleases::allow, .input = {"1.0", "1.5a1"}, .expected = {"1.0", "1.5a1"}},
    {.specifier = ">=1.0,<=2.0dev", .policy = Prereleases::exclude, .input = {"1.0", "1.5a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0,<=2.0dev",
     .policy = Prereleases::allow,
     .input = {"1.0", "1.5a1"},
     .expected = {"1.0", "1.5a1"}},
    {.specifier = ">=1.0,<=2.0", .policy = Prereleases::exclude, .input = {"1.0", "1.5a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0,<=2.0", .policy = Prereleases::allow, .input = {"1.0", "1.5a1"}, .expected = {"1.0", "1.5a1"}},
    {.specifier = ">=1.0,<=2.0dev", .policy = Prereleases::exclude, .input = {"1.0", "1.5a1"}, .expected = {"1.0"}},
    {.specifier = ">=1.0,<=2.0dev",
     .policy = Prereleases::allow,
     .input = {"1.0", "1.5a1"},
     .expected = {"1.0", "1.5a1"}},
    {.specifier = "===1.0", .policy = Prereleases::by_specifier, .input = {"1.0", "1.0.0", "2.0"}, .expected = {"1.0"}},
    {.specifier = "===1.0",
     .policy = Prereleases::by_specifier,
     .input = {"1.0", "1.0+downstream1"},
     .expected = {"1.0"}},
    {.specifier = ">=1.0,===1.5",
     .policy = Prereleases::by_specifier,
     .input = {"1.0", "1.5", "2.0"},
     .expected = {"1.5"}},
    {.specifier = ">=2.0,===1.5", .policy = Prereleases::by_specifier, .input = {"1.0", "1.5", "2.0"}, .expected = {}},
    {.specifier = "==1.*,>=1.0",
     .policy = Prereleases::by_specifier,
     .input = {"0.9", "1.0", "1.5", "2.0"},
     .expected = {"1.0", "1.5"}},
};

// packaging: TestSpecifierSet.test_specifier_prereleases_explicit, rows with an explicit preference.
const std::vector<MatchCase> k_set_contains = {
    {.version = "1.0.dev1", .specifier = "", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev1", .specifier = "", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev1", .specifier = "", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev1", .specifier = "", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = ">=1.0", .policy = Prereleases::allow, .expected = false},
    {.version = "1.0.dev1", .specifier = ">=1.0", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "==1.*", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev1", .specifier = "==1.*", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "", .policy = Prereleases::exclude, .expected = false},
    {.version = "2.0.dev1", .specifier = ">=1.0", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.dev1", .specifier = ">=1.0", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0b1", .specifier = "", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0a1", .specifier = "", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0rc1", .specifier = "", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0rc1", .specifier = "", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.post1.dev1", .specifier = "", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.post1.dev1", .specifier = "", .policy = Prereleases::allow, .expected = true},
    {.version = "2.0.dev1", .specifier = "==2.0.dev1", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "==1.0.*", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev1", .specifier = "==1.0.*", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "!=2.0", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0.dev1", .specifier = "!=2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.5a1", .specifier = ">=1.0,<2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.5b1", .specifier = ">=1.0,<2.0", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.5b1", .specifier = ">=1.0,<2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.5rc1", .specifier = ">=1.0,<2.0", .policy = Prereleases::allow, .expected = true},
    {.version = "1.5rc1", .specifier = ">=1.0,<2.0", .policy = Prereleases::exclude, .expected = false},
    {.version = "1.0a1", .specifier = "", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0b2", .specifier = "", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0rc3", .specifier = "", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0.dev4", .specifier = "", .policy = Prereleases::allow, .expected = true},
    {.version = "1.0a1", .specifier = ">=1.0a1", .policy = Prereleases::exclude, .expected = false},
    {.version = "0.9.dev0", .specifier = "<1.0.dev1", .policy = Prereleases::exclude, .expected = false},
};

Version v(const std::string& text)
{
    auto parsed = Version::parse(text);
    if (!parsed) ADD_FAILURE() << parsed.error().message;
    return parsed.value_or(Version(Version::Parts{}));
}

class SpecifierMatchTest : public ::testing::TestWithParam<MatchCase> {};

TEST_P(SpecifierMatchTest, AgreesWithPackaging)
{
    const auto& c = GetParam();
    auto specifier = Specifier::parse(c.specifier);
    ASSERT_TRUE(specifier) << specifier.error().message;
    EXPECT_EQ(specifier->contains(v(c.version), c.policy), c.expected) << c.version << " in " << c.specifier;
    auto set = SpecifierSet::parse(c.specifier);
    ASSERT_TRUE(set);
    EXPECT_EQ(set->contains(v(c.version), c.policy), c.expected) << c.version << " in set " << c.specifier;
}

INSTANTIATE_TEST_SUITE_P(Packaging, SpecifierMatchTest, ::testing::ValuesIn(k_matches));

class SpecifierInvalidTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SpecifierInvalidTest, IsRejectedNamingTheText)
{
    auto specifier = Specifier::parse(GetParam());
    ASSERT_FALSE(specifier) << GetParam() << " parsed as " << specifier->to_string();
    EXPECT_EQ(specifier.error().code, ErrorCode::manifest);
    EXPECT_EQ(specifier.error().message.rfind("invalid specifier '" + GetParam() + "': ", 0), 0U)
        << specifier.error().message;
    EXPECT_FALSE(SpecifierSet::parse(">=0.1, " + GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Packaging, SpecifierInvalidTest, ::testing::ValuesIn(k_invalid));

class SpecifierDetectionTest : public ::testing::TestWithParam<DetectionCase> {};

TEST_P(SpecifierDetectionTest, KnowsWhetherItNamesAPreRelease)
{
    auto specifier = Specifier::parse(GetParam().specifier);
    ASSERT_TRUE(specifier);
    EXPECT_EQ(specifier->mentions_prerelease(), GetParam().mentions);
}

INSTANTIATE_TEST_SUITE_P(Packaging, SpecifierDetectionTest, ::testing::ValuesIn(k_detection));

class SpecifierFilterTest : public ::testing::TestWithParam<FilterCase> {};

TEST_P(SpecifierFilterTest, KeepsWhatPackagingKeeps)
{
    const auto& c = GetParam();
    auto set = SpecifierSet::parse(c.specifier);
    ASSERT_TRUE(set) << set.error().message;
    std::vector<Version> input;
    for (const auto& text : c.input) input.push_back(v(text));
    std::vector<std::string> kept;
    for (const auto& version : set->filter(input, c.policy)) kept.push_back(version.to_string());
    std::vector<std::string> expected;
    for (const auto& text : c.expected) expected.push_back(v(text).to_string());
    EXPECT_EQ(kept, expected) << c.specifier;
}

INSTANTIATE_TEST_SUITE_P(Packaging, SpecifierFilterTest, ::testing::ValuesIn(k_filters));

class SpecifierSetContainsTest : public ::testing::TestWithParam<MatchCase> {};

TEST_P(SpecifierSetContainsTest, AgreesWithPackaging)
{
    const auto& c = GetParam();
    auto set = SpecifierSet::parse(c.specifier);
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(set->contains(v(c.version), c.policy), c.expected) << c.version << " in " << c.specifier;
}

INSTANTIATE_TEST_SUITE_P(Packaging, SpecifierSetContainsTest, ::testing::ValuesIn(k_set_contains));

}  // namespace
}  // namespace gapbundle::sources::pypi
