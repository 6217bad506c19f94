#include <gapbundle/sources/pypi/core_metadata.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gapbundle::sources::pypi {
namespace {

using Strings = std::vector<std::string>;

const char* const k_requests = R"(Metadata-Version: 2.1
Name: requests
Version: 2.32.3
Summary: Python HTTP for Humans.
Home-page: https://requests.readthedocs.io
Author: Kenneth Reitz
Author-email: me@kennethreitz.org
License: Apache-2.0
Project-URL: Documentation, https://requests.readthedocs.io
Classifier: Development Status :: 5 - Production/Stable
Classifier: Programming Language :: Python :: 3
Requires-Python: >=3.8
Description-Content-Type: text/markdown
License-File: LICENSE
Requires-Dist: charset-normalizer <4,>=2
Requires-Dist: idna <4,>=2.5
Requires-Dist: urllib3 <3,>=1.21.1
Requires-Dist: certifi >=2017.4.17
Provides-Extra: security
Provides-Extra: socks
Requires-Dist: PySocks !=1.5.7,>=1.5.6 ; extra == 'socks'
Provides-Extra: use_chardet_on_py3
Requires-Dist: chardet <6,>=3.0.2 ; extra == 'use_chardet_on_py3'

# Requests

Requires-Dist: not-a-header-this-is-the-body
)";

TEST(CoreMetadataTest, ParsesRequests)
{
    auto m = parse_core_metadata(k_requests, "requests.METADATA");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->metadata_version, "2.1");
    EXPECT_EQ(m->name, "requests");
    EXPECT_EQ(m->version, "2.32.3");
    EXPECT_EQ(m->requires_python, ">=3.8");
    EXPECT_EQ(m->requires_dist, (Strings{"charset-normalizer <4,>=2", "idna <4,>=2.5", "urllib3 <3,>=1.21.1",
                                         "certifi >=2017.4.17", "PySocks !=1.5.7,>=1.5.6 ; extra == 'socks'",
                                         "chardet <6,>=3.0.2 ; extra == 'use_chardet_on_py3'"}));
    EXPECT_EQ(m->provides_extra, (Strings{"security", "socks", "use_chardet_on_py3"}));
}

TEST(CoreMetadataTest, ParsesNumpyWithCrlfAndFoldedLicense)
{
    const std::string text =
        "Metadata-Version: 2.1\r\n"
        "Name: numpy\r\n"
        "Version: 2.0.0\r\n"
        "Summary: Fundamental package for array computing in Python\r\n"
        "License: Copyright (c) 2005-2024, NumPy Developers.\r\n"
        "         All rights reserved.\r\n"
        "\t\r\n"
        "         Redistribution and use in source and binary forms...\r\n"
        "Requires-Python: >=3.9\r\n"
        "Description-Content-Type: text/markdown\r\n"
        "\r\n"
        "<h1 align=\"center\">\r\n";
    auto m = parse_core_metadata(text, "numpy.METADATA");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->name, "numpy");
    EXPECT_EQ(m->version, "2.0.0");
    EXPECT_EQ(m->requires_python, ">=3.9");
    EXPECT_TRUE(m->requires_dist.empty());
    EXPECT_TRUE(m->provides_extra.empty());
}

TEST(CoreMetadataTest, ParsesTorchMarkersExtrasAndFoldedLines)
{
    const std::string text = R"(Metadata-Version: 2.1
Name: torch
Version: 2.4.0+cu121
Summary: Tensors and Dynamic neural networks in Python with strong GPU acceleration
Requires-Python: >=3.8.0
Requires-Dist: filelock
Requires-Dist: typing-extensions >=4.8.0
Requires-Dist: sympy
Requires-Dist: networkx
Requires-Dist: jinja2
Requires-Dist: fsspec
Requires-Dist: nvidia-cuda-nvrtc-cu12 ==12.1.105 ; platform_system == "Linux" and
  platform_machine == "x86_64"
Requires-Dist: triton ==3.0.0 ; platform_system == "Linux" and platform_machine == "x86_64" and python_version < "3.13"
Provides-Extra: opt-einsum
Requires-Dist: opt-einsum >=3.3 ; extra == 'opt-einsum'
Provides-Extra: optree
Requires-Dist: optree >=0.11.0 ; extra == 'optree'
)";
    auto m = parse_core_metadata(text, "torch.METADATA");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->version, "2.4.0+cu121");
    ASSERT_EQ(m->requires_dist.size(), 10u);
    EXPECT_EQ(m->requires_dist[6],
              "nvidia-cuda-nvrtc-cu12 ==12.1.105 ; platform_system == \"Linux\" and platform_machine == \"x86_64\"");
    EXPECT_EQ(m->requires_dist[9], "optree >=0.11.0 ; extra == 'optree'");
    EXPECT_EQ(m->provides_extra, (Strings{"opt-einsum", "optree"}));
}

TEST(CoreMetadataTest, FieldNamesAreCaseInsensitive)
{
    auto m = parse_core_metadata("metadata-version: 2.3\nNAME: a.b\nversion: 1\nrequires-dist: c\n", "x");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->name, "a.b");
    EXPECT_EQ(m->requires_dist, Strings{"c"});
    EXPECT_FALSE(m->requires_python);
}

TEST(CoreMetadataTest, RejectsMissingFields)
{
    auto no_name = parse_core_metadata("Metadata-Version: 2.1\nVersion: 1.0\n", "w.whl");
    ASSERT_FALSE(no_name);
    EXPECT_EQ(no_name.error().code, ErrorCode::download);
    EXPECT_EQ(no_name.error().message, "w.whl: core metadata without a Name field");
    auto no_version = parse_core_metadata("Metadata-Version: 2.1\nName: a\n", "w.whl");
    ASSERT_FALSE(no_version);
    EXPECT_EQ(no_version.error().message, "w.whl: core metadata without a Version field");
    auto empty = parse_core_metadata("", "w.whl");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().message, "w.whl: core metadata without a Metadata-Version field");
    auto bad = parse_core_metadata("Metadata-Version: 2.1\nName: -a-\nVersion: 1\n", "w.whl");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "w.whl: invalid Name '-a-' in core metadata");
}

TEST(CoreMetadataTest, HeadersStopAtTheBody)
{
    auto m = parse_core_metadata("Metadata-Version: 2.1\nName: a\nVersion: 1\n\nRequires-Dist: b\n", "x");
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->requires_dist.empty());
}

}  // namespace
}  // namespace gapbundle::sources::pypi
