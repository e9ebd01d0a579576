import ParleyConfig
import Testing

/// A small stand-in for the app's names (the real ones are checked against the app in the CLI tests).
let vocabulary = ConfigVocabulary(
    colourRoles: ["normal", "accent", "thinking", "focused-border"],
    commands: ["quit", "toggle-thinking", "regenerate"],
    isKeyName: { ["ctrl-q", "ctrl-t", "ctrl-r", "f2", "j"].contains($0) })

func parse(_ text: String) throws(ConfigError) -> Config {
    try ConfigParser.parse(text, path: "/home/u/.config/parley/config.toml", vocabulary: vocabulary)
}

/// The one problem `text` has, where it is and what it says.
func problem(_ text: String) -> (line: Int?, column: Int?, message: String)? {
    do {
        _ = try parse(text)
        return nil
    } catch {
        guard let issue = error.issues.first else { return nil }
        return (issue.line, issue.column, issue.problem.description)
    }
}

/// `text` has one problem (the first found), `message`, at `line` and `column`.
func expectProblem(
    _ text: String, at line: Int, _ column: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let found = try #require(problem(text), sourceLocation: sourceLocation)
    #expect(found.message == message, sourceLocation: sourceLocation)
    #expect(found.line == line, sourceLocation: sourceLocation)
    #expect(found.column == column, sourceLocation: sourceLocation)
}
