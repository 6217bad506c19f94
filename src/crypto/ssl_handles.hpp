#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <memory>

namespace gapbundle::crypto {

struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
struct PkeyCtxDeleter {
    void operator()(EVP_PKEY_CTX* ctx) const noexcept { EVP_PKEY_CTX_free(ctx); }
};
struct BioDeleter {
    void operator()(BIO* bio) const noexcept { BIO_free_all(bio); }
};

using UniqueMdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
using UniquePkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;
using UniqueBio = std::unique_ptr<BIO, BioDeleter>;

}  // namespace gapbundle::crypto
