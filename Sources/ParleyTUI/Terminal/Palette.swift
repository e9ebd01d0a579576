import CNCurses

/// Colour roles to curses colour pairs and attributes, from the theme. Default background
/// everywhere, so the user's terminal shows through.
struct Palette {
    /// The colour each role's pair was given; roles without one draw in the default pair.
    private var installed: [Style.Role: Int16] = [:]

    /// No colours: a terminal without them draws attributes only.
    init() {}

    /// Sets up a pair per coloured role; call once the screen has started colour.
    init(installing theme: Theme) {
        let available = Int16(clamping: parley_colors())
        var pairs: [Style.Role: Int16] = [:]
        for role in Style.Role.allCases {
            guard var colour = theme.colours[role] else { continue }
            // Bright colours need a 16-colour terminal; elsewhere the plain one is the nearest.
            if colour >= available { colour -= 8 }
            guard colour < available else { continue }
            init_pair(pairNumber(role), colour, -1)
            pairs[role] = colour
        }
        installed = pairs
    }

    private func pairNumber(_ role: Style.Role) -> Int16 { Int16(role.rawValue) + 1 }

    func pair(_ style: Style) -> Int16 {
        installed[style.role] == nil ? 0 : pairNumber(style.role)
    }

    func attributes(_ style: Style) -> attr_t {
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
