#include "yaml_document.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <sstream>

namespace gapbundle::manifest::detail {

namespace {

// Builds nothing: keeps the mark of the document's first node.
class FirstNodeMark : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark& mark) override { m_start = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { keep(mark); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { keep(mark); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override { keep(mark); }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override
    {
        keep(mark);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override
    {
        keep(mark);
    }
    void OnMapEnd() override {}

    [[nodiscard]] YAML::Mark found() const { return m_mark.value_or(m_start); }

private:
    void keep(const YAML::Mark& mark)
    {
        if (!m_mark) m_mark = mark;
    }
    YAML::Mark m_start;
    std::optional<YAML::Mark> m_mark;
};

}  // namespace

SingleDocument load_single_document(const std::string& yaml)
{
    SingleDocument document;
    document.root = YAML::Load(yaml);
    std::istringstream in(yaml);
    YAML::Parser parser(in);
    FirstNodeMark first;
    FirstNodeMark second;
    if (parser.HandleNextDocument(first) && parser.HandleNextDocument(second)) document.second = second.found();
    return document;
}

}  // namespace gapbundle::manifest::detail
