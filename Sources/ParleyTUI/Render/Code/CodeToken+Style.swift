extension CodeToken.Kind {
    /// How a token looks: a theme role each (the theme says its colour, `NO_COLOR` none); plain
    /// code keeps the code role.
    var style: Style {
        switch self {
        case .plain: Style(.code)
        case .keyword: Style(.keyword)
        case .type: Style(.typeName)
        case .constant: Style(.number)
        case .string: Style(.string)
        case .comment: Style(.comment)
        case .added: Style(.added)
        case .removed: Style(.removed)
        case .hunk: Style(.hunk)
        case .header: Style(.hunk, [.bold])
        }
    }
}
