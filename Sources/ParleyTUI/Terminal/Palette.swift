import CNCurses

/// Colour roles to curses colour pairs and attributes. Default background everywhere, so the
/// user's terminal theme shows through.
enum Palette {
    private static let colours: [Style.Role: Int16] = [
        .accent: Int16(COLOR_CYAN), .user: Int16(COLOR_GREEN), .heading: Int16(COLOR_MAGENTA),
        .code: Int16(COLOR_YELLOW), .quote: Int16(COLOR_BLUE), .thinking: Int16(COLOR_BLUE),
        .error: Int16(COLOR_RED), .warning: Int16(COLOR_YELLOW), .success: Int16(COLOR_GREEN),
        .focusedBorder: Int16(COLOR_CYAN), .selection: Int16(COLOR_CYAN),
    ]

    static func install() {
        for role in Style.Role.allCases {
            guard let colour = colours[role] else { continue }
            init_pair(pairNumber(role), colour, -1)
        }
    }

    private static func pairNumber(_ role: Style.Role) -> Int16 { Int16(role.rawValue) + 1 }

    static func pair(_ style: Style) -> Int16 {
        colours[style.role] == nil ? 0 : pairNumber(style.role)
    }

    static func attributes(_ style: Style) -> attr_t {
        var attributes: attr_t = 0
        let given = style.attributes
        if given.contains(.bold) { attributes |= parley_attr_bold() }
        if given.contains(.italic) { attributes |= parley_attr_italic() }
        if given.contains(.underline) { attributes |= parley_attr_underline() }
        if given.contains(.reverse) { attributes |= parley_attr_reverse() }
        switch style.role {
        case .muted, .border, .placeholder: attributes |= parley_attr_dim()
        default: if given.contains(.dim) { attributes |= parley_attr_dim() }
        }
        return attributes
    }
}
