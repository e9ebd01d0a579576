import CNCurses

/// Colour roles to curses colour pairs and attributes, from the theme. Default background
/// everywhere, so the user's terminal shows through.
struct Palette {
    /// Each role's pair by its raw value (looked up for every cell drawn); 0, the default pair,
    /// for roles without a colour.
    private var pairs = [Int16](repeating: 0, count: Style.Role.allCases.count)

    /// No colours: a terminal without them draws attributes only.
    init() {}

    /// Sets up a pair per coloured role; call once the screen has started colour.
    init(installing theme: Theme) {
        let available = Int16(clamping: parley_colors())
        for role in Style.Role.allCases {
            guard var colour = theme.colours[role] else { continue }
            // Bright colours need a 16-colour terminal; elsewhere the plain one is the nearest.
            if colour >= available { colour -= 8 }
            guard colour < available else { continue }
            let pair = Int16(role.rawValue) + 1
            init_pair(pair, colour, -1)
            pairs[Int(role.rawValue)] = pair
        }
    }

    func pair(_ style: Style) -> Int16 { pairs[Int(style.role.rawValue)] }

    func attributes(_ style: Style) -> attr_t {
        var attributes: attr_t = 0
        let given = style.attributes
        if given.contains(.bold) { attributes |= parley_attr_bold() }
        if given.contains(.italic) { attributes |= parley_attr_italic() }
        if given.contains(.underline) { attributes |= parley_attr_underline() }
        if given.contains(.reverse) { attributes |= parley_attr_reverse() }
        switch style.role {
        case .muted, .border, .placeholder, .comment: attributes |= parley_attr_dim()
        default: if given.contains(.dim) { attributes |= parley_attr_dim() }
        }
        return attributes
    }
}
