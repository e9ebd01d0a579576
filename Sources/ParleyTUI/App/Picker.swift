import ParleyCore

/// The model picker (Ctrl-P) or the preset picker (Ctrl-O): a query that filters the list, the
/// item under the cursor, and what the choice is for.
public struct Picker: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case model, preset
    }

    public enum Item: Hashable, Sendable {
        case model(provider: String, model: String)
        /// A `[presets.NAME]` system prompt; nil for none.
        case preset(name: String?)
        /// A system prompt typed into the preset picker, for this conversation alone.
        case typedPrompt(String)
    }

    /// One line of the list: a provider's name over its models, an item, or a note (a list
    /// loading, an error, how to add presets).
    public enum Row: Equatable, Sendable {
        case heading(String)
        case item(Item, label: String, detail: String?, isCurrent: Bool)
        case note(String, isError: Bool)
    }

    public var kind: Kind
    public internal(set) var query: InputEditor
    /// The item the cursor is on. When the list has no such item (the query hides it, its list
    /// has not arrived) the cursor is on the first item.
    public internal(set) var selection: Item?
    /// The conversation the choice is for; nil: the defaults for new conversations.
    public let conversation: ConversationID?
    /// The model picker's reasoning setting (Tab changes it), chosen with the model; nil in the
    /// preset picker.
    public internal(set) var reasoning: Reasoning?
    /// Models marked for compare (Ctrl-Space), in the order their columns take.
    public internal(set) var marked: [Item] = []

    public init(
        kind: Kind, query: InputEditor = InputEditor(), selection: Item?, conversation: ConversationID?,
        reasoning: Reasoning? = nil
    ) {
        self.kind = kind
        self.query = query
        self.selection = selection
        self.conversation = conversation
        self.reasoning = reasoning
    }

    /// The items `rows` offers, in order.
    static func items(_ rows: [Row]) -> [Item] {
        rows.compactMap { row in
            if case .item(let item, _, _, _) = row { return item }
            return nil
        }
    }

    /// The item the cursor is on in `rows`: the selection, else the first item.
    func cursor(in rows: [Row]) -> Item? {
        let items = Self.items(rows)
        if let selection, items.contains(selection) { return selection }
        return items.first
    }

    /// Whether every word of the query is in one of `texts`, ignoring case.
    func matches(_ texts: String...) -> Bool {
        let haystack = texts.joined(separator: " ").lowercased()
        return query.text.lowercased().split(whereSeparator: \.isWhitespace).allSatisfy { haystack.contains($0) }
    }
}
