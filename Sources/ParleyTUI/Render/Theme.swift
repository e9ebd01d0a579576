/// Which terminal colour each role is drawn in. Roles not named use the terminal's own
/// foreground, so the user's colour scheme shows through; the config file's `[theme]` changes any.
public struct Theme: Equatable, Sendable {
    /// Colour numbers as curses counts them (0–7, 8–15 bright); -1 is the terminal's default.
    public private(set) var colours: [Style.Role: Int16]

    public static let standard = Theme(colours: [
        .accent: 6, .user: 2, .heading: 5, .code: 3, .quote: 4, .thinking: 4, .error: 1, .warning: 3, .success: 2,
        .focusedBorder: 6, .selection: 6, .keyword: 5, .string: 2, .number: 6, .typeName: 4, .added: 2, .removed: 1,
        .hunk: 6,
    ])

    /// No colour at all, for `NO_COLOR` (no-color.org): bold, dim, reverse and the like still show.
    public static let noColour = Theme(colours: [:])

    /// This theme with `names` ("cyan", "bright-black", "default") for their roles; a name it does
    /// not know (the config file checks them first) leaves the role as it was.
    public func overriding(_ names: [Style.Role: String]) -> Theme {
        var theme = self
        for (role, name) in names {
            if let number = Self.colourNumber(name) { theme.colours[role] = number }
        }
        return theme
    }

    static let basicColours = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    static func colourNumber(_ name: String) -> Int16? {
        if name == "default" { return -1 }
        if let index = basicColours.firstIndex(of: name) { return Int16(index) }
        if name.hasPrefix("bright-"), let index = basicColours.firstIndex(of: String(name.dropFirst(7))) {
            return Int16(index + 8)
        }
        return nil
    }
}
