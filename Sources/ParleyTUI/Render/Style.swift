/// How a cell looks: attributes and a colour role. Views name roles; the curses writer maps
/// each role to a colour pair, so a theme changes colours without touching a view.
public struct Style: Hashable, Sendable {
    public struct Attributes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let bold = Attributes(rawValue: 1 << 0)
        public static let italic = Attributes(rawValue: 1 << 1)
        public static let underline = Attributes(rawValue: 1 << 2)
        public static let reverse = Attributes(rawValue: 1 << 3)
        public static let dim = Attributes(rawValue: 1 << 4)
    }

    public enum Role: UInt8, CaseIterable, Sendable {
        case normal, muted, accent, user, heading, code, quote, thinking, error, warning, success, border
        case focusedBorder, selection, placeholder
        /// Code blocks' syntax: words of the language, strings, numbers and constants, comments,
        /// types; a patch's added and removed lines and its hunks.
        case keyword, string, number, comment, typeName, added, removed, hunk
    }

    public var attributes: Attributes
    public var role: Role

    public init(_ role: Role = .normal, _ attributes: Attributes = []) {
        self.role = role
        self.attributes = attributes
    }

    public static let plain = Style()

    public func adding(_ more: Attributes) -> Style { Style(role, attributes.union(more)) }
}
