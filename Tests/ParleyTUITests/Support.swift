import ParleyCore
import Testing

@testable import ParleyTUI

func at(_ milliseconds: Int64) -> Timestamp { Timestamp(millisecondsSince1970: milliseconds) }

/// A user of the app: an AppState driven by events, with the layout cache the views share.
struct App {
    var state: AppState
    let layout = TranscriptLayout()
    var clock: Int64 = 1_000
    private(set) var effects: [AppEffect] = []
    /// When each stream was asked for, and when its reply began to show.
    private var asked: [SessionID: Int64] = [:]
    private var shown: [SessionID: Duration] = [:]

    init(
        width: Int = 80, height: Int = 24, provider: String = "demo", showThinking: Bool = true,
        choices: ModelChoices = ModelChoices(), followsDiscovery: Bool = false, baseURLs: [String: String] = [:],
        bindings: KeyBindings = .standard, modelIsAGuess: Bool = false
    ) {
        Glyphs.useUTF8Locale()
        state = AppState(
            size: Size(width: width, height: height),
            defaults: AppState.Defaults(
                provider: provider, model: provider == "demo" ? "demo" : "gpt-4o",
                providerLabels: [
                    "demo": "demo (offline)", "openai": "OpenAI", "ollama": "Ollama", "lmstudio": "LM Studio",
                ],
                baseURLs: baseURLs, followsDiscovery: followsDiscovery, modelIsAGuess: modelIsAGuess),
            choices: choices, showThinking: showThinking, bindings: bindings, now: at(1_000), seed: 42)
    }

    @discardableResult
    mutating func send(_ event: AppEvent, after milliseconds: Int64 = 0) -> [AppEffect] {
        clock += milliseconds
        effects = state.reduce(event, now: at(clock), layout: layout)
        return effects
    }

    mutating func type(_ text: String) {
        for character in text { send(.key(.character(character))) }
    }

    mutating func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    /// Sends `text` and returns the stream the app asked for.
    mutating func ask(_ text: String) -> StreamStart? {
        type(text)
        send(.key(.enter))
        for case .chat(.startStream(let start)) in effects {
            asked[start.sessionID] = clock
            return start
        }
        return nil
    }

    struct NoStream: Error {}

    /// `ask`, failing the test when no stream was asked for.
    @discardableResult
    mutating func asking(_ text: String) throws -> StreamStart {
        guard let start = ask(text) else { throw NoStream() }
        return start
    }

    /// A batch as a session hands it over: once the reply has begun to show, with its time to
    /// first token (here, from the moment it was asked for to its first content's batch).
    mutating func stream(_ start: StreamStart, _ events: [StreamEvent], after milliseconds: Int64 = 50) {
        let id = start.sessionID
        if shown[id] == nil, events.contains(where: \.isContent) {
            shown[id] = .milliseconds(clock + milliseconds - (asked[id] ?? clock))
        }
        var batch = Batch(events: events)
        batch.timeToFirstToken = shown[id]
        send(.chat(.batchArrived(id, batch, now: at(clock + milliseconds))), after: milliseconds)
    }

    mutating func finish(_ start: StreamStart, after milliseconds: Int64 = 10) {
        send(
            .chat(
                .streamFinished(
                    start.sessionID, ReplyTiming(timeToFirstToken: .milliseconds(300), duration: .milliseconds(1_200)),
                    now: at(clock + milliseconds))), after: milliseconds)
    }

    var frame: Frame { ScreenView.render(state, layout: layout) }
    var screen: String { frame.text }
}

/// Compares a rendered screen with the expected text, line by line, so a failure shows where.
func expectScreen(_ actual: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(actualLines.count == expectedLines.count, "line count", sourceLocation: sourceLocation)
    for (index, (got, want)) in zip(actualLines, expectedLines).enumerated() where got != want {
        Issue.record("line \(index + 1):\n  got:  \(got)\n  want: \(want)", sourceLocation: sourceLocation)
    }
}

extension MessageBody {
    /// Every display line, made now.
    var lines: [Line] { (0..<lineCount).map(line) }
}

extension Line {
    /// The text as a screen shows it: spaces at its end (a table's padding) are not seen.
    var shownText: String { String(text.reversed().drop { $0 == " " }.reversed()) }
}
