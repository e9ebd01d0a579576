import Foundation
import ParleyConfig

/// What the app remembers between runs about how it looks (the thinking pane on or off), in
/// `$XDG_STATE_HOME/parley/ui.toml` (`PARLEY_HOME/ui.toml` when set). Kept apart from the
/// user's config file, which Parley never rewrites.
struct UIPreferences: Sendable {
    let path: String?
    /// The last Ctrl-T's choice; nil before the first.
    let showThinking: Bool?

    init(environment: [String: String]) {
        path = StateLocation.path("ui.toml", environment: environment)
        let text = path.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        // Read as the TOML it is; a file that is not (damaged, or edited by hand) remembers nothing.
        if case .bool(let shown)? = (try? TOMLNode.parse(text))?["thinking_pane"] {
            showThinking = shown
        } else {
            showThinking = nil
        }
    }

    /// Whether the thinking pane starts shown. The config file's `[app] thinking_pane`, when it says,
    /// is what the user wrote and wins every time (a setting that seemed to do nothing after a
    /// Ctrl-T long ago would be a puzzle); only where it is silent does the last Ctrl-T carry over.
    func startsWithThinking(configured: Bool?) -> Bool {
        configured ?? showThinking ?? true
    }

    /// Writes the choice; a preference that cannot be saved is not worth an error.
    func remember(showThinking: Bool) {
        guard let path else { return }
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = "# Written by Parley: how the app looked when you last used it.\nthinking_pane = \(showThinking)\n"
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
