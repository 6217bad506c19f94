#include <gapbundle/sources/pypi/markers.hpp>
#include <gapbundle/sources/pypi/requirement.hpp>

#include "pep_text.hpp"
#include "specifier_parse.hpp"

#include <array>

namespace gapbundle::sources::pypi {
namespace {

using Operand = std::variant<MarkerVariable, std::string>;

constexpr std::array<std::string_view, 12> k_names{"python_version",
                                                   "python_full_version",
                                                   "implementation_name",
                                                   "implementation_version",
                                                   "platform_python_implementation",
                                                   "platform_machine",
                                                   "platform_system",
                                                   "platform_release",
                                                   "platform_version",
                                                   "sys_platform",
                                                   "os_name",
                                                   "extra"};

bool compares_as_version(MarkerVariable variable)
{
    return variable == MarkerVariable::python_version || variable == MarkerVariable::python_full_version ||
           variable == MarkerVariable::implementation_version || variable == MarkerVariable::platform_release;
}

std::string value_of(MarkerVariable variable, const MarkerEnvironment& env)
{
    switch (variable) {
        case MarkerVariable::python_version:
            return env.python_version;
        // An interpreter built from an untagged checkout reports "3.13.0+", not a PEP 440 version.
        case MarkerVariable::python_full_version:
            return env.python_full_version.ends_with('+') ? env.python_full_version + "local" : env.python_full_version;
        case MarkerVariable::implementation_name:
            return env.implementation_name;
        case MarkerVariable::implementation_version:
            return env.implementation_version;
        case MarkerVariable::platform_python_implementation:
            return env.platform_python_implementation;
        case MarkerVariable::platform_machine:
            return env.platform_machine;
        case MarkerVariable::platform_system:
            return env.platform_system;
        case MarkerVariable::platform_release:
            return env.platform_release;
        case MarkerVariable::platform_version:
            return env.platform_version;
        case MarkerVariable::sys_platform:
            return env.sys_platform;
        case MarkerVariable::os_name:
            return env.os_name;
        case MarkerVariable::extra:
            return env.extra.empty() ? std::string() : canonical_name(env.extra);
    }
    return {};
}

std::string quoted(const std::string& value)
{
    const char quote = value.find('"') == std::string::npos ? '"' : '\'';
    return quote + value + quote;
}

std::string operand_text(const Operand& operand)
{
    if (const auto* variable = std::get_if<MarkerVariable>(&operand)) return std::string(to_string(*variable));
    return quoted(std::get<std::string>(operand));
}

std::string comparison_text(const MarkerComparison& c)
{
    std::string op = c.kind == MarkerOperator::in       ? "in"
                     : c.kind == MarkerOperator::not_in ? "not in"
                                                        : std::string(to_string(c.op));
    return operand_text(c.left) + " " + op + " " + operand_text(c.right);
}

// Text comparison, as packaging's fallback: <= and >= mean equality, < and > are never true.
Result<bool> compare_text(const MarkerComparison& c, const std::string& lhs, const std::string& rhs)
{
    if (c.kind == MarkerOperator::in) return rhs.find(lhs) != std::string::npos;
    if (c.kind == MarkerOperator::not_in) return rhs.find(lhs) == std::string::npos;
    switch (c.op) {
        case SpecifierOperator::equal:
        case SpecifierOperator::less_equal:
        case SpecifierOperator::greater_equal:
            return lhs == rhs;
        case SpecifierOperator::not_equal:
            return lhs != rhs;
        case SpecifierOperator::less:
        case SpecifierOperator::greater:
            return false;
        case SpecifierOperator::compatible:
        case SpecifierOperator::arbitrary:
            break;
    }
    return fail(ErrorCode::manifest, "marker '" + comparison_text(c) + "': cannot compare '" + lhs + "' and '" + rhs +
                                         "' with " + std::string(to_string(c.op)));
}

Result<bool> evaluate_comparison(const MarkerComparison& c, const MarkerEnvironment& env)
{
    const bool variable_left = std::holds_alternative<MarkerVariable>(c.left);
    const auto variable = std::get<MarkerVariable>(variable_left ? c.left : c.right);
    const auto lhs = variable_left ? value_of(variable, env) : std::get<std::string>(c.left);
    const auto rhs = variable_left ? std::get<std::string>(c.right) : value_of(variable, env);
    if (compares_as_version(variable) && c.kind == MarkerOperator::version) {
        if (c.op == SpecifierOperator::arbitrary) return pep_text::lower(lhs) == pep_text::lower(rhs);
        if (auto specifier = make_specifier(c.op, pep_text::trim(rhs))) {
            auto version = Version::parse(lhs);
            return version && specifier->contains(*version, Prereleases::allow);
        }
    }
    return compare_text(c, lhs, rhs);
}

Result<bool> evaluate_node(const MarkerNode& node, const MarkerEnvironment& env)
{
    if (node.kind == MarkerNode::Kind::comparison) return evaluate_comparison(node.comparison, env);
    const bool any = node.kind == MarkerNode::Kind::any_of;
    for (const auto& child : node.children) {
        auto result = evaluate_node(child, env);
        if (!result) return result;
        if (*result == any) return any;
    }
    return !any;
}

std::string node_text(const MarkerNode& node, bool nested)
{
    if (node.kind == MarkerNode::Kind::comparison) return comparison_text(node.comparison);
    const auto* joiner = node.kind == MarkerNode::Kind::any_of ? " or " : " and ";
    std::string out;
    for (const auto& child : node.children) {
        if (!out.empty()) out += joiner;
        out += node_text(child, true);
    }
    return nested ? "(" + out + ")" : out;
}

}  // namespace

std::string_view to_string(MarkerVariable variable)
{
    return k_names[static_cast<std::size_t>(variable)];
}

Result<bool> Marker::evaluate(const MarkerEnvironment& env) const
{
    return evaluate_node(m_root, env);
}

Result<bool> Marker::evaluate(const MarkerEnvironment& env, std::span<const std::string> extras) const
{
    MarkerEnvironment with_extra = env;
    with_extra.extra.clear();
    auto result = evaluate(with_extra);
    for (std::size_t i = 0; i < extras.size() && result && !*result; ++i) {
        with_extra.extra = extras[i];
        result = evaluate(with_extra);
    }
    return result;
}

std::string Marker::to_string() const
{
    return node_text(m_root, false);
}

}  // namespace gapbundle::sources::pypi
