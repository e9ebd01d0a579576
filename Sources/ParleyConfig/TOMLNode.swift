import TOMLKit

/// A parsed TOML value as plain Swift values, so validation never touches the parser's
/// reference types.
package enum TOMLNode: Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([TOMLNode])
    case table([String: TOMLNode])
    /// Dates and times, which no setting takes: kept only to be named in an error.
    case other(String)

    /// The document, or the parser's error with its position.
    package static func parse(_ text: String) throws(ConfigIssue) -> [String: TOMLNode] {
        if let problem = TOMLGuard.firstProblem(in: text) { throw problem }
        do {
            let table = try TOMLTable(string: text)
            return convert(table)
        } catch let failure as TOMLParseError {
            throw ConfigIssue(
                line: failure.source.begin.line, column: failure.source.begin.column,
                problem: .syntax(failure.description))
        } catch {
            throw ConfigIssue(line: nil, column: nil, problem: .syntax("\(error)"))
        }
    }

    private static func convert(_ table: TOMLTable) -> [String: TOMLNode] {
        var members: [String: TOMLNode] = [:]
        for (key, value) in table { members[key] = node(value) }
        return members
    }

    private static func node(_ value: TOMLValueConvertible) -> TOMLNode {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double: return .float(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .array: return .array(value.array.map { $0.map(node) } ?? [])
        case .table: return .table(value.table.map(convert) ?? [:])
        case .date, .time, .dateTime: return .other(value.type.description)
        }
    }

    /// How an error names this kind of value: "a string", "an integer".
    var kind: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a number"
        case .bool: "true or false"
        case .array: "a list"
        case .table: "a table"
        case .other(let name): "a \(name)"
        }
    }
}
