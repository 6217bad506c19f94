#include <gapbundle/sources/conda.hpp>
#include <gapbundle/sources/files.hpp>
#include <gapbundle/sources/helm.hpp>
#include <gapbundle/sources/huggingface.hpp>
#include <gapbundle/sources/images.hpp>
#include <gapbundle/sources/pip.hpp>
#include <gapbundle/sources/source_kind.hpp>

namespace gapbundle::sources {

std::vector<std::unique_ptr<SourceKind>> all_kinds()
{
    std::vector<std::unique_ptr<SourceKind>> kinds;
    kinds.push_back(make_files_kind());
    kinds.push_back(make_helm_kind());  // before images: it adds the images its charts deploy
    kinds.push_back(make_images_kind());
    kinds.push_back(make_pip_kind());
    kinds.push_back(make_huggingface_kind());
    kinds.push_back(make_conda_kind());
    return kinds;
}

}  // namespace gapbundle::sources
