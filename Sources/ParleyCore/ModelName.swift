/// How a model's name is matched against a table of well-known ones (prices, context windows).
public enum ModelName {
    /// Whether `model` is `listed`, or `listed` with a date or "-latest" after it
    /// ("gpt-4o-2024-08-06", "claude-sonnet-4-5-20250929"): a model a table does not list is never
    /// given a neighbour's figures. Both are expected in lower case.
    static func matches(_ model: String, _ listed: String) -> Bool {
        guard model.hasPrefix(listed) else { return false }
        let rest = model.dropFirst(listed.count)
        if rest.isEmpty || rest == "-latest" { return true }
        // A date: -20250929 (Anthropic) or -2024-08-06 (OpenAI).
        let date = Array(rest.dropFirst())
        guard rest.first == "-", date.count == 8 || date.count == 10 else { return false }
        return date.indices.allSatisfy { index in
            date.count == 10 && (index == 4 || index == 7)
                ? date[index] == "-" : date[index].isASCII && date[index].isNumber
        }
    }

    /// The name without a router's vendor prefix ("openai/gpt-4.1" is "gpt-4.1"), in lower case.
    static func unrouted(_ model: String) -> String {
        (model.split(separator: "/").last.map(String.init) ?? model).lowercased()
    }
}
