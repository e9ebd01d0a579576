/// The names the app defines and the file may use: colour roles for `[theme]`, commands and key
/// names for `[keys]`. Given by the caller (the app's own tables), so the config module stays
/// independent of the terminal UI and the two lists cannot drift apart.
public struct ConfigVocabulary: Sendable {
    public var colourRoles: [String]
    public var commands: [String]
    public var isKeyName: @Sendable (String) -> Bool
    /// What is wrong with `[keys]` as a whole (command → key names), when something is: the
    /// command to place the problem at, and the problem (two commands on a key, a letter that
    /// could no longer be typed).
    public var checkBindings: @Sendable ([String: [String]]) -> (command: String, problem: String)?

    public init(
        colourRoles: [String], commands: [String], isKeyName: @escaping @Sendable (String) -> Bool,
        checkBindings: @escaping @Sendable ([String: [String]]) -> (command: String, problem: String)? = { _ in nil }
    ) {
        self.colourRoles = colourRoles
        self.commands = commands
        self.isKeyName = isKeyName
        self.checkBindings = checkBindings
    }

    /// Colours a theme may name: the terminal's eight, their bright versions, and `default`
    /// (the terminal's own foreground).
    public static let colours: [String] =
        ["default"] + basicColours + basicColours.map { "bright-" + $0 }

    static let basicColours = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
}
