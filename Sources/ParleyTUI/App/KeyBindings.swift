/// What a key can be bound to.
public enum Command: String, CaseIterable, Sendable {
    case quit, help, interrupt, redraw
    case newConversation = "new", renameConversation = "rename", deleteConversation = "delete", search
    case toggleThinking = "toggle-thinking", cancelReply = "cancel", regenerate, edit, copy
    case focusNext = "focus-next", focusPrevious = "focus-previous"
    case send, newline
    case moveUp = "up", moveDown = "down", open, pageUp = "page-up", pageDown = "page-down"
    case top, bottom
    case pickModel = "pick-model", pickPreset = "pick-preset", reasoning
    case previousBranch = "previous-branch", nextBranch = "next-branch", fork, deleteBranch = "delete-branch"
    case attach, pasteImage = "paste-image", openFiles = "open-files"
    case compact, composeInEditor = "edit-in-editor", pager
    case copyMode = "copy-mode", find
    case pickReply = "pick-reply", stopColumn = "stop-column"

    /// What help says it does.
    public var summary: String {
        switch self {
        case .quit: "quit"
        case .help: "show or hide this help"
        case .interrupt: "stop the reply; twice quits"
        case .redraw: "redraw the screen"
        case .newConversation: "new conversation"
        case .renameConversation: "rename the conversation"
        case .deleteConversation: "delete the conversation (asks first)"
        case .search: "search titles and messages"
        case .toggleThinking: "show or hide the thinking pane"
        case .cancelReply: "stop the reply (keeps what arrived); closes prompts"
        case .regenerate: "regenerate the last reply"
        case .edit: "edit your chosen (else last) message, sent as a branch"
        case .copy: "copy the focused message (as written)"
        case .focusNext: "next pane"
        case .focusPrevious: "previous pane"
        case .send: "send the message"
        case .newline: "new line in the message"
        case .moveUp: "previous conversation or message"
        case .moveDown: "next conversation or message"
        case .open: "open the conversation; unfold or fold a reply's reasoning in place"
        case .pageUp: "scroll up a page"
        case .pageDown: "scroll down a page"
        case .top: "go to the top"
        case .bottom: "go to the bottom (follow the reply)"
        case .previousBranch: "show the focused message's previous branch (◀)"
        case .nextBranch: "show the focused message's next branch (▶)"
        case .fork: "fork: a new conversation with this one up to the focused message"
        case .deleteBranch: "delete the focused message's branch (asks first)"
        case .pickModel: "choose the provider and model (this conversation, or new ones)"
        case .pickPreset: "choose the system prompt preset (this conversation, or new ones)"
        case .reasoning: "next reasoning setting: auto, off, low, medium, high"
        case .attach: "attach a file (also /attach PATH)"
        case .pasteImage: "attach the clipboard's image"
        case .openFiles: "show the message's files"
        case .compact: "compact the conversation into a summary (also /compact)"
        case .composeInEditor: "write the message in $VISUAL or $EDITOR"
        case .pager: "read the conversation in $PAGER (less -R)"
        case .copyMode: "copy mode: a message (j/k) or code block (Tab), copied as written"
        case .find: "find in the conversation (Enter next, Shift-Tab back)"
        case .pickReply: "compare: go on with the highlighted column"
        case .stopColumn: "compare: stop the highlighted column alone"
        }
    }
}

extension Command {
    /// Commands of the message editor itself (its own table).
    var isEditing: Bool { self == .send || self == .newline }
}

extension Key {
    /// A character typed as itself, which the editor needs.
    var isPlainCharacter: Bool {
        if case .character = self { true } else { false }
    }
}

/// The one table of keys. `global` keys work everywhere, typing included; `navigation` keys
/// (plain letters among them) only where nothing is being typed; `editing` keys only in the
/// message editor. The config file can rebind any command.
public struct KeyBindings: Equatable, Sendable {
    public private(set) var global: [Key: Command]
    public private(set) var navigation: [Key: Command]
    public private(set) var editing: [Key: Command]
    /// Each command's key labels in hint order, made once per set of bindings: the hints (the
    /// editor's placeholder, the status bar) ask on every frame.
    private let labels: [Command: [String]]

    public init(global: [Key: Command], navigation: [Key: Command], editing: [Key: Command]) {
        self.global = global
        self.navigation = navigation
        self.editing = editing
        var labels: [Command: [String]] = [:]
        for table in [global, editing, navigation] {
            var bound: [Command: [Key]] = [:]
            for (key, command) in table { bound[command, default: []].append(key) }
            for (command, keys) in bound {
                labels[command, default: []] += keys.sorted { $0.name < $1.name }.map(\.label)
            }
        }
        self.labels = labels
    }

    public static let standard = KeyBindings(
        global: [
            .control("q"): .quit, .function(1): .help, .control("c"): .interrupt, .control("l"): .redraw,
            .control("n"): .newConversation, .control("t"): .toggleThinking, .escape: .cancelReply,
            .control("r"): .regenerate, .control("f"): .search, .tab: .focusNext, .backTab: .focusPrevious,
            .pageUp: .pageUp,
            .pageDown: .pageDown, .control("p"): .pickModel, .control("o"): .pickPreset,
            .control("g"): .reasoning, .control("x"): .attach, .control("v"): .pasteImage,
            .alt("e"): .composeInEditor, .alt("p"): .pager, .alt("c"): .copyMode, .alt("/"): .find,
        ],
        navigation: [
            .up: .moveUp, .character("k"): .moveUp, .down: .moveDown, .character("j"): .moveDown,
            .enter: .open, .character("n"): .newConversation, .character("r"): .renameConversation,
            .character("d"): .deleteConversation, .character("/"): .search, .character("e"): .edit,
            .character("y"): .copy, .home: .top, .end: .bottom, .character("g"): .top, .character("G"): .bottom,
            .character("?"): .help, .character("["): .previousBranch, .character("]"): .nextBranch,
            .character("F"): .fork, .character("x"): .deleteBranch, .character("o"): .openFiles,
            .character("c"): .compact, .character("v"): .copyMode, .character("f"): .find,
            .character("p"): .pickReply, .character("s"): .stopColumn,
        ],
        editing: [.enter: .send, .altEnter: .newline, .control("j"): .newline])

    /// The table with `overrides` (command name → key names) applied: a command's keys are
    /// replaced everywhere it had any. A plain character goes where nothing is being typed (in the
    /// editor it must type itself), other keys work everywhere; send and new line stay the
    /// editor's. A key that would then mean two things, or make text untypeable, is refused.
    public func overriding(_ overrides: [String: [String]]) -> Result<KeyBindings, KeyBindingError> {
        var result = Tables(global: global, navigation: navigation, editing: editing)
        var rebound: [Command: [Key]] = [:]
        for (commandName, keyNames) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let command = Command(rawValue: commandName) else {
                return .failure(.unknownCommand(commandName))
            }
            var keys: [Key] = []
            for name in keyNames {
                guard let key = Key(name: name) else { return .failure(.unknownKey(name, command: commandName)) }
                keys.append(key)
            }
            rebound[command] = keys
            result.global = result.global.filter { $0.value != command }
            result.navigation = result.navigation.filter { $0.value != command }
            result.editing = result.editing.filter { $0.value != command }
        }
        for (command, keys) in rebound.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for key in keys {
                if command.isEditing, case .character = key {
                    return .failure(.untypeable(key.name, command: command.rawValue))
                }
                let table: WritableKeyPath<Tables, [Key: Command]> =
                    command.isEditing ? \.editing : key.isPlainCharacter ? \.navigation : \.global
                // Global keys act everywhere: they meet the other tables' keys too.
                let reach: [KeyPath<Tables, [Key: Command]>] =
                    table == \.global ? [\.global, \.navigation, \.editing] : [\.global, table]
                if let other = reach.lazy.compactMap({ result[keyPath: $0][key] }).first(where: { $0 != command }) {
                    return .failure(.clash(key.name, commands: [command.rawValue, other.rawValue].sorted()))
                }
                result[keyPath: table][key] = command
            }
        }
        return .success(KeyBindings(global: result.global, navigation: result.navigation, editing: result.editing))
    }

    /// The three tables while `overriding` changes them.
    private struct Tables {
        var global: [Key: Command]
        var navigation: [Key: Command]
        var editing: [Key: Command]
    }

    /// The keys of `command` as hints name them ("Alt-Enter/Ctrl-J"), the one most likely typed
    /// first: keys that work everywhere before the others. Nil when it has none.
    public func label(_ command: Command, all: Bool = false) -> String? {
        guard let labels = labels[command], let first = labels.first else { return nil }
        return all ? labels.joined(separator: "/") : first
    }

    /// The keys `table` binds to `command`.
    private func keysBound(to command: Command, in table: [Key: Command]) -> [Key] {
        table.compactMap { $0.value == command ? $0.key : nil }
    }

    /// Every command with its keys, in the order help lists them.
    public var listing: [(command: Command, keys: [Key])] {
        Command.allCases.compactMap { command in
            let keys = [global, navigation, editing].flatMap { keysBound(to: command, in: $0) }.sorted {
                $0.name < $1.name
            }
            return keys.isEmpty ? nil : (command, keys)
        }
    }
}

public enum KeyBindingError: Error, Equatable, CustomStringConvertible {
    case unknownCommand(String)
    case unknownKey(String, command: String)
    /// Two commands on one key, where both would act.
    case clash(String, commands: [String])
    /// A plain character for send or new line: it could no longer be typed.
    case untypeable(String, command: String)

    /// The command the problem is placed at in the file.
    public var command: String {
        switch self {
        case .unknownCommand(let name): name
        case .unknownKey(_, let command), .untypeable(_, let command): command
        case .clash(_, let commands): commands.first ?? ""
        }
    }

    public var description: String {
        switch self {
        case .unknownCommand(let name):
            "unknown command \"\(name)\" in [keys]; commands: \(Command.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unknownKey(let name, let command):
            "unknown key \"\(name)\" for \(command) in [keys]; write keys like \"ctrl-t\", \"alt-enter\", \"f1\", \"j\""
        case .clash(let key, let commands):
            "\"\(key)\" would be both \(commands.joined(separator: " and ")); give one of them other keys"
        case .untypeable(let key, let command):
            "\"\(key)\" for \(command) could no longer be typed in a message; use a key with ctrl or alt"
        }
    }
}
