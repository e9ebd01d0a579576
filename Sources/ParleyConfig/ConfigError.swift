/// Why a config file cannot be used: every problem found, each where it is, in file order.
/// Parley refuses to start on any of them rather than run half-configured.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file, when the text came from one.
    public var path: String?
    /// At least one.
    public var issues: [ConfigIssue]

    public init(path: String?, issues: [ConfigIssue]) {
        self.path = path
        self.issues = issues
    }

    /// One line per problem: "PATH:LINE:COLUMN: problem", as compilers write it.
    public var lines: [String] {
        issues.map { issue in
            var place = path ?? "config"
            if let line = issue.line {
                place += ":\(line)"
                if let column = issue.column { place += ":\(column)" }
            }
            return place + ": " + issue.problem.description
        }
    }

    public var description: String { lines.joined(separator: "\n") }
}

/// One problem and where it is (1-based line and column; nil when the place is unknown).
public struct ConfigIssue: Error, Equatable, Sendable {
    public var line: Int?
    public var column: Int?
    public var problem: ConfigProblem

    public init(line: Int?, column: Int?, problem: ConfigProblem) {
        self.line = line
        self.column = column
        self.problem = problem
    }
}

public enum ConfigProblem: Equatable, Sendable, CustomStringConvertible {
    /// Not TOML at all: the parser's own words.
    case syntax(String)
    /// A name the file may not use here: a key, a provider section, a colour role, a command.
    /// `place` says where ("in [providers.openai]"); `known` lists what is allowed.
    case unknown(what: String, name: String, place: String, suggestion: String?, known: [String])
    /// The right key with the wrong kind of value.
    case wrongType(key: String, place: String, expected: String, found: String)
    /// The right kind of value that cannot be used: a bad URL, variable name, duration…
    case invalidValue(key: String, place: String, reason: String)
    /// The file exists but cannot be read.
    case unreadable(String)

    public var description: String {
        switch self {
        case .syntax(let message):
            return "not valid TOML: \(message)"
        case .unknown(let what, let name, let place, let suggestion, let known):
            let start = "unknown \(what) '\(name)' \(place)"
            if let suggestion { return start + " (did you mean '\(suggestion)'?)" }
            return known.isEmpty ? start : start + "; expected one of: " + known.joined(separator: ", ")
        case .wrongType(let key, let place, let expected, let found):
            return "'\(key)' \(place) must be \(expected), not \(found)"
        case .invalidValue(let key, let place, let reason):
            return "'\(key)' \(place): \(reason)"
        case .unreadable(let reason):
            return "cannot be read: \(reason)"
        }
    }
}
