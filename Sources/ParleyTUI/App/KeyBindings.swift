/// What a key can be bound to.
public enum Command: String, CaseIterable, Sendable {
    case quit, help, interrupt, redraw
    case newConversation = "new", renameConversation = "rename", deleteConversation = "delete", search
    case toggleThinking = "toggle-thinking", cancelReply = "cancel", regenerate, editLast = "edit", copy
    case focusNext = "focus-next", focusPrevious = "focus-previous"
    case send, newline
    case moveUp = "up", moveDown = "down", open, pageUp = "page-up", pageDown = "page-down"
    case top, bottom
    case pickModel = "pick-model", pickPreset = "pick-preset", reasoning
    case switchVersion = "switch-version"

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
        case .editLast: "edit the last message and send it again"
        case .copy: "copy the focused message (OSC 52)"
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
        case .switchVersion: "show the last reply's other versions in turn"
        case .pickModel: "choose the provider and model (this conversation, or new ones)"
        case .pickPreset: "choose the system prompt preset (this conversation, or new ones)"
        case .reasoning: "next reasoning setting: auto, off, low, medium, high"
        }
    }
}

/// The one table of keys. `global` keys work everywhere, typing included; `navigation` keys
/// (plain letters among them) only where nothing is being typed; `editing` keys only in the
/// message editor. The config file can rebind any command.
public struct KeyBindings: Equatable, Sendable {
    public var global: [Key: Command]
    public var navigation: [Key: Command]
    public var editing: [Key: Command]

    public static let standard = KeyBindings(
        global: [
            .control("q"): .quit, .function(1): .help, .control("c"): .interrupt, .control("l"): .redraw,
            .control("n"): .newConversation, .control("t"): .toggleThinking, .escape: .cancelReply,
            .control("r"): .regenerate, .control("f"): .search, .tab: .focusNext, .backTab: .focusPrevious,
            .pageUp: .pageUp,
            .pageDown: .pageDown, .control("p"): .pickModel, .control("o"): .pickPreset,
            .control("g"): .reasoning,
        ],
        navigation: [
            .up: .moveUp, .character("k"): .moveUp, .down: .moveDown, .character("j"): .moveDown,
            .enter: .open, .character("n"): .newConversation, .character("r"): .renameConversation,
            .character("d"): .deleteConversation, .character("/"): .search, .character("e"): .editLast,
            .character("y"): .copy, .home: .top, .end: .bottom, .character("g"): .top, .character("G"): .bottom,
            .character("?"): .help, .character("v"): .switchVersion,
        ],
        editing: [.enter: .send, .altEnter: .newline, .control("j"): .newline])

    /// The table with `overrides` (command name → key names) applied: a command's keys in its
    /// table are replaced by the ones given. Unknown names are reported, not guessed.
    public func overriding(_ overrides: [String: [String]]) -> Result<KeyBindings, KeyBindingError> {
        var result = self
        for (commandName, keyNames) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let command = Command(rawValue: commandName) else {
                return .failure(.unknownCommand(commandName))
            }
            var keys: [Key] = []
            for name in keyNames {
                guard let key = Key(name: name) else { return .failure(.unknownKey(name, command: commandName)) }
                keys.append(key)
            }
            let table: WritableKeyPath<KeyBindings, [Key: Command]> =
                editing.values.contains(command)
                ? \.editing : navigation.values.contains(command) ? \.navigation : \.global
            result[keyPath: table] = result[keyPath: table].filter { $0.value != command }
            for key in keys { result[keyPath: table][key] = command }
        }
        return .success(result)
    }

    /// Every command with its keys, in the order help lists them.
    public var listing: [(command: Command, keys: [Key])] {
        Command.allCases.compactMap { command in
            let keys = [global, navigation, editing].flatMap { table in
                table.filter { $0.value == command }.map(\.key)
            }.sorted { $0.name < $1.name }
            return keys.isEmpty ? nil : (command, keys)
        }
    }
}

public enum KeyBindingError: Error, Equatable, CustomStringConvertible {
    case unknownCommand(String)
    case unknownKey(String, command: String)

    public var description: String {
        switch self {
        case .unknownCommand(let name):
            "unknown command \"\(name)\" in [keys]; commands: \(Command.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unknownKey(let name, let command):
            "unknown key \"\(name)\" for \(command) in [keys]; write keys like \"ctrl-t\", \"alt-enter\", \"f1\", \"j\""
        }
    }
}
