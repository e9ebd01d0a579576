import ParleyCore

/// Everything that reaches the app, as one kind of value: keys, the terminal, ticks, and the
/// results of effects (stream updates and database answers, already in the chat state's terms).
public enum AppEvent: Equatable, Sendable {
    case key(Key)
    /// Bracketed paste: the text arrives whole, newlines kept, never taken for commands.
    case pasted(String)
    case resized(Size)
    /// The periodic tick while something moves (a spinner, a live reply's checkpoints).
    case ticked
    case chat(ChatAction)
    case searchFinished(query: String, results: [SearchResult])
    case searchFailed(query: String, reason: String)
    /// A provider's models, asked for by `listModels`.
    case modelsListed(provider: String, models: [String])
    case modelsListingFailed(provider: String, reason: String)
    /// A local server answered at start-up, with the models it lists.
    case localServerFound(ModelChoices.Provider, models: [String])
    /// SIGTERM or SIGHUP: stop the replies, keep what arrived, leave.
    case terminationRequested
}

/// One conversation a search found, with a few words around the match.
public struct SearchResult: Equatable, Sendable {
    public struct Piece: Equatable, Sendable {
        public var text: String
        public var isMatch: Bool

        public init(_ text: String, isMatch: Bool) {
            self.text = text
            self.isMatch = isMatch
        }
    }

    public var conversationID: ConversationID
    public var title: String
    public var snippet: [Piece]

    public init(conversationID: ConversationID, title: String, snippet: [Piece]) {
        self.conversationID = conversationID
        self.title = title
        self.snippet = snippet
    }
}

/// What the app asks its runtime to do; the runtime reports outcomes back as events.
public enum AppEffect: Equatable, Sendable {
    case chat(ChatEffect)
    case loadTranscript(ConversationID)
    case search(String)
    /// Ask a provider for its models (the model picker opened); answered by `modelsListed` or
    /// `modelsListingFailed`.
    case listModels(provider: String)
    /// Put text on the clipboard with OSC 52 (works over SSH and in tmux).
    case copy(String)
    /// The thinking pane's choice, to keep in the config file.
    case rememberThinkingPane(Bool)
    /// Ctrl-L: repaint the whole terminal.
    case redraw
    case quit
}
