import ParleyCore

/// Everything that reaches the app, as one kind of value: keys, the terminal, ticks, and the
/// results of effects (stream updates and database answers, already in the chat state's terms).
public enum AppEvent: Equatable, Sendable {
    case key(Key)
    /// Bracketed paste: the text arrives whole, newlines kept, never taken for commands.
    case pasted(String)
    /// A click or the wheel, reported only while `[app] mouse` is on.
    case mouse(MouseEvent)
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
    /// A model's context window, asked for by `learnContextWindow` (nil: it could not be learnt).
    case contextWindowLearned(ModelAddress, ContextWindow?)
    /// What was saved in the editor the message was opened in (`composeInEditor`).
    case composed(String)
    /// The editor or pager could not be used, or failed: why, for the status bar.
    case handOverFailed(String)
    /// SIGTERM or SIGHUP: stop the replies, keep what arrived, leave.
    case terminationRequested
    /// A file read for the message being written (`readAttachment`, or the clipboard's image).
    case attached(Attachment)
    /// A file could not be attached or opened: why, for the status bar.
    case attachingFailed(String)
    /// What `completePath` found: the paths beginning with `prefix` (a folder's ends with "/").
    case pathsCompleted(prefix: String, paths: [String])
    /// The clipboard command did not take the copy: why, for the status bar.
    case copyFailed(String)
    /// Pasted text (`pasted`) names a file that exists (`path`): attaching it is offered.
    case pastedFileFound(path: String, pasted: String)
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
    /// The message that matched, on whichever branch: opening the hit shows its branch.
    public var messageID: MessageID?

    public init(conversationID: ConversationID, title: String, snippet: [Piece], messageID: MessageID? = nil) {
        self.conversationID = conversationID
        self.title = title
        self.snippet = snippet
        self.messageID = messageID
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
    /// Learn a model's context window from its provider: `contextWindowLearned` comes back.
    case learnContextWindow(ModelAddress)
    /// Put text on the clipboard the way `Clipboard` says; a command that fails sends `copyFailed`.
    case copy(String, via: Clipboard)
    /// The thinking pane's choice, to keep in the config file.
    case rememberThinkingPane(Bool)
    /// Read the file at `path` (a leading `~/` is the home folder) as an attachment: `attached` or
    /// `attachingFailed` comes back.
    case readAttachment(path: String)
    /// List the files and folders whose paths begin with this: `pathsCompleted` comes back.
    case completePath(String)
    /// Pasted text that may be a file's path: `pastedFileFound` comes back when it is one.
    case checkPastedPath(String, pasted: String)
    /// The clipboard's image, through `wl-paste` or `xclip`: `attached` or `attachingFailed`.
    case pasteClipboardImage
    /// Show a saved attachment with the system's opener (images, PDFs).
    case openAttachment(Attachment)
    /// Open the message being written in `$VISUAL`/`$EDITOR`: `composed` or `handOverFailed` comes back.
    case composeInEditor(String)
    /// Show the open conversation in `$PAGER`, the screen restored afterwards.
    case pageConversation
    /// Tell the user a reply out of sight ended: the bell, or a terminal notification.
    case notify(Notify, title: String, body: String)
    /// Ctrl-L: repaint the whole terminal.
    case redraw
    case quit
}
