import ParleyCore

/// The whole app as one value: the chat state's state and what the screen needs besides it
/// (focus, scroll positions, the editor, prompts). Changed only by `reduce`; drawn by `ScreenView`.
public struct AppState: Equatable, Sendable {
    public enum Focus: CaseIterable, Equatable, Sendable {
        case sidebar, transcript, thinking, input
    }

    /// A prompt or panel over the normal screen, taking the keys while it is open.
    public enum Mode: Equatable, Sendable {
        case normal
        /// The key list, scrolled to its `top` line where the screen is too short for all of it.
        case help(top: Int)
        case renaming(ConversationID, InputEditor)
        case confirmingDelete(ConversationID)
        /// Deleting the branch that starts at the message, with all that follows it.
        case confirmingBranchDelete(ConversationID, MessageID)
        case searching(InputEditor, results: [SearchResult]?, cursor: Int)
        /// The model or preset picker, over the conversation.
        case picking(Picker)
        /// The path prompt of a file to attach, with the names Tab found when it found several.
        case attaching(InputEditor, choices: [String])
        /// Pasted text names a file: Enter attaches it, any other key keeps the text.
        case offeringAttachment(path: String, pasted: String)
        /// Copy mode: a message or one of its code blocks chosen, to be copied as written.
        case copying(CopySelection)
        /// Finding in the open conversation: what is typed, its matches, the one shown.
        case finding(Find)
    }

    /// Where new conversations' replies come from, and how providers are named on screen.
    public struct Defaults: Equatable, Sendable {
        public var provider: String
        public var model: String
        public var systemPrompt: String?
        public var reasoning: Reasoning
        public var providerLabels: [String: String]
        /// Where the providers resolved at launch are reached: a conversation made with one (or
        /// moved to it) keeps that address, so it is continued there. Others use their configured one.
        public var baseURLs: [String: String]
        /// Nothing chose the provider (no flag, no config): it is the demo, and the first local
        /// server found at start-up takes its place, until the user starts a conversation, sends
        /// or picks a model (PRODUCT.md §4: config, else a found local server, else demo).
        public var followsDiscovery: Bool
        /// Nobody named the model of the provider's server (`--base-url` alone, or a provider of the
        /// user's own without `model`): the first its models list offers replaces it when it arrives.
        public var modelIsAGuess: Bool
        /// `[attachments]`: how large a file, and a message's files together, may be.
        public var attachmentLimits: AttachmentLimits
        /// How each provider's replies are priced, for the cost in their headers.
        public var pricing: PricingRules
        /// How a reply that ends out of sight is told, besides the sidebar's mark.
        public var notify: Notify
        /// How copied text reaches the clipboard (`[app] clipboard`).
        public var clipboard: Clipboard
        /// Whether the app takes the mouse from the terminal (`[app] mouse`): the wheel and clicks
        /// are Parley's then, and selecting text needs the terminal's own modifier (often Shift).
        public var mouse: Bool

        public init(
            provider: String, model: String, systemPrompt: String? = nil, reasoning: Reasoning = .standard,
            providerLabels: [String: String] = [:], baseURLs: [String: String] = [:], followsDiscovery: Bool = false,
            modelIsAGuess: Bool = false, attachmentLimits: AttachmentLimits = .standard,
            pricing: PricingRules = PricingRules(prices: PriceTable(entries: [])), notify: Notify = .off,
            clipboard: Clipboard = .osc52(.none), mouse: Bool = false
        ) {
            self.mouse = mouse
            self.notify = notify
            self.clipboard = clipboard
            self.attachmentLimits = attachmentLimits
            self.pricing = pricing
            self.provider = provider
            self.model = model
            self.systemPrompt = systemPrompt
            self.reasoning = reasoning
            self.providerLabels = providerLabels
            self.baseURLs = baseURLs
            self.followsDiscovery = followsDiscovery
            self.modelIsAGuess = modelIsAGuess
        }

        public func label(_ provider: String) -> String { providerLabels[provider] ?? provider }
    }

    public internal(set) var chat = ChatState()
    public internal(set) var size: Size
    public internal(set) var focus: Focus = .input
    public internal(set) var mode: Mode = .normal
    public internal(set) var editor = InputEditor()
    public internal(set) var showThinking: Bool
    public internal(set) var defaults: Defaults
    /// What the model and preset pickers offer.
    public internal(set) var choices: ModelChoices
    public let bindings: KeyBindings
    /// The conversation under the sidebar's cursor (Enter opens it).
    public internal(set) var sidebarCursor: ConversationID?
    /// The first row the sidebar shows.
    public internal(set) var sidebarTop = 0
    public internal(set) var transcriptScroll = TranscriptScroll.tail
    /// The message the transcript's cursor is on while the transcript has focus; otherwise the
    /// last reply is the focused message (its thinking in the pane, what y copies).
    public internal(set) var messageCursor: Int?
    /// The thinking pane's first line; nil follows the thinking as it streams.
    public internal(set) var thinkingTop: Int?
    /// What was typed in conversations other than the open one, not yet sent.
    var drafts: [ConversationID: String] = [:]
    /// The files the next message carries, shown as chips above the editor.
    public internal(set) var pendingAttachments: [Attachment] = []
    /// Files attached in conversations other than the open one, not yet sent.
    var draftAttachments: [ConversationID: [Attachment]] = [:]
    /// When quitting was asked for while something would be lost (asking again soon quits).
    var quitAskedAt: Timestamp?
    /// Messages unfolded in the transcript (Enter on one): a reply's reasoning in place, a tool
    /// call's whole arguments, a tool's whole output.
    public internal(set) var unfolded: Set<MessageID> = []
    /// A short-lived line for the status bar ("Copied", "Press Ctrl-C again to quit").
    public internal(set) var hint: String?
    var hintExpiry: Timestamp?
    /// When the chat state's notice goes, unless it is one that lasts (`ChatNotice.lasts`).
    var noticeExpiry: Timestamp?
    /// Context windows asked for, by model: nil while unknown (asked, or not learnt).
    public internal(set) var contextWindows: [ModelAddress: ContextWindow?] = [:]
    /// What the open conversation's replies took and cost, for its header (`countConversationTotals`).
    public internal(set) var conversationTotals: UsageTotals?
    /// The open conversation's messages a summary replaces in requests (marked on screen).
    public internal(set) var summarized: Set<MessageID> = []
    /// The message the user was told would not fit: sending it again sends it anyway.
    var overflowWarned: String?
    /// Set by `e`: the next send is the message edited, a branch beside it.
    public internal(set) var editing: Editing?
    /// Models marked in the picker for the next message (compare).
    public internal(set) var comparing: Comparing?
    /// The line every compared reply's column shows first; nil: each follows its end.
    public internal(set) var compareTop: Int?

    /// One of the user's messages being edited in the editor.
    public struct Editing: Equatable, Sendable {
        public var conversation: ConversationID
        public var message: MessageID
    }

    /// The message being edited is the user's last (said so on screen): editing an earlier one
    /// leaves more of the conversation on the old branch.
    public var editsLastMessage: Bool {
        editing?.message == chat.selectedTranscript.last { $0.role == .user }?.id
    }
    /// Search hits' messages to show once their conversation's messages are read: each one's
    /// branch becomes the path then (`reveal`).
    var revealing: [ConversationID: MessageID] = [:]
    /// When Ctrl-C was pressed once; a second press soon after quits.
    var interruptPressedAt: Timestamp?
    public internal(set) var now: Timestamp
    /// Advances with each tick while something is live: the spinner's frame.
    public internal(set) var spinner = 0
    public internal(set) var isQuitting = false
    /// Makes new ids: a value, so the reducer stays a pure function (tests seed it).
    var ids: IDSource

    public init(
        size: Size, defaults: Defaults, choices: ModelChoices = ModelChoices(), showThinking: Bool = true,
        bindings: KeyBindings = .standard, now: Timestamp, seed: UInt64
    ) {
        self.size = size
        self.defaults = defaults
        self.choices = choices
        self.showThinking = showThinking
        self.bindings = bindings
        self.now = now
        self.ids = IDSource(seed: seed)
    }

    public var selectedConversation: Conversation? { chat.selectedConversationID.flatMap { chat.conversations[$0] } }

    /// The message the thinking pane and y are about: the transcript's cursor, else the last reply.
    public var focusedMessage: Message? {
        let transcript = chat.selectedTranscript
        if let cursor = messageCursor, transcript.indices.contains(cursor) { return transcript[cursor] }
        return transcript.last { $0.role == .assistant }
    }

    /// The selected conversation's reply is going on: streaming, or between rounds with its tools.
    public var replyGoesOn: Bool {
        chat.selectedConversationID.map(chat.hasLiveReply) ?? false
    }

    /// The call of the selected conversation that waits for the user's consent.
    public var consentQuestion: ToolCallRun? {
        chat.selectedConversationID.flatMap { chat.toolLoops[$0]?.awaitingConsent }
    }

    /// Whether ticks are needed: something on screen moves, or a reply needs its checkpoints.
    public var needsTicks: Bool {
        !chat.sessions.isEmpty || chat.toolLoops.values.contains(where: \.isRunningTools) || interruptPressedAt != nil
            || hintExpiry != nil || noticeExpiry != nil || isQuitting
    }

    public static let tickInterval: Duration = .milliseconds(100)
}
