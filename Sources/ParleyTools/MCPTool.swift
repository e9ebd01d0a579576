import Foundation
import ParleyCore

/// A tool a server offers, as a model is shown it: its name, what it does, and the JSON Schema
/// of its arguments.
public struct MCPTool: Equatable, Sendable {
    /// The server's name in the config file.
    public var server: String
    public var name: String
    /// The server's own words; may be empty, and is untrusted text.
    public var description: String
    /// A JSON Schema object (`{"type":"object","properties":…}`).
    public var inputSchema: JSON

    public init(server: String, name: String, description: String, inputSchema: JSON) {
        self.server = server
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }

    /// The description's first non-empty line: what a list of tools shows.
    public var summary: String {
        description.split(whereSeparator: \.isNewline).lazy.map { $0.trimmed }
            .first { !$0.isEmpty } ?? ""
    }
}
