import ParleyCore

/// The open conversation as `$PAGER` shows it: every message laid out as the transcript lays it
/// out (the same cache, at the same width, folds unfolded as on screen), its styles as SGR
/// sequences in the theme's colours — none of them with `NO_COLOR`'s empty theme, where only bold,
/// italic and the like remain. The text itself was made safe when it was laid out.
enum PagerText {
    static func render(_ state: AppState, layout: TranscriptLayout, theme: Theme) -> String {
        let viewport = TranscriptViewport(state: state, layout: layout)
        let title = ControlPicture.safe(state.selectedConversation?.title ?? "New conversation")
        var text = sgr(Style(.heading, [.bold]), theme) + title + reset + "\n\n"
        for index in viewport.messages.indices {
            let count = viewport.lineCount(index)
            let lines = layout.lines(
                of: viewport.messages[index], width: viewport.width, context: viewport.context, spaced: index > 0,
                unfolded: viewport.isUnfolded(index), range: 0..<count)
            for line in lines {
                for run in line.runs {
                    text += run.style == .plain ? run.text : sgr(run.style, theme) + run.text + reset
                }
                text += "\n"
            }
        }
        return text
    }

    private static let reset = "\u{1B}[0m"

    /// The sequence that sets `style`: the role's colour (bright colours as 90–97) and attributes,
    /// muted text dim as curses draws it.
    static func sgr(_ style: Style, _ theme: Theme) -> String {
        var codes: [Int] = []
        let attributes = style.attributes
        if attributes.contains(.bold) { codes.append(1) }
        if attributes.contains(.dim) || [.muted, .border, .placeholder].contains(style.role) { codes.append(2) }
        if attributes.contains(.italic) { codes.append(3) }
        if attributes.contains(.underline) { codes.append(4) }
        if attributes.contains(.reverse) { codes.append(7) }
        if let colour = theme.colours[style.role], colour >= 0 {
            codes.append(colour < 8 ? 30 + Int(colour) : 90 + Int(colour) - 8)
        }
        return codes.isEmpty ? "" : "\u{1B}[" + codes.map(String.init).joined(separator: ";") + "m"
    }
}
