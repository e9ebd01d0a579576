import ParleyCore
import Testing

@testable import ParleyTUI

/// A reply that uses a tool, as the user sees it: the call inside the reply with its status, the
/// consent question that keys answer, the sidebar saying a conversation waits, the result, and
/// the next round streaming under it.
@Suite("Tools in the app")
struct ToolStoryTests {
    static let time = ToolCatalog([
        ToolCatalog.Listing(
            server: "time", trusted: false,
            tools: [ToolDefinition(name: "get_current_time", description: "The time in a zone.")])
    ])
    static let call = ToolCall(id: "call_1", name: "get_current_time", arguments: "{\"timezone\":\n \"UTC\"}")

    /// The app with the time server's tool listed, after a reply that asked for it.
    static func waiting() throws -> (App, StreamStart) {
        var app = App(width: 100, height: 40, showThinking: false)
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.send(.chat(.toolsListed(time, maxRounds: 10)))
        let start = try app.asking("What time is it?")
        #expect(start.request.tools.map(\.name) == ["get_current_time"])
        app.stream(start, [.text("Let me check.\n"), .toolCall(call), .stop(StopReason(.toolUse))])
        app.finish(start)
        return (app, start)
    }

    @Test("the call waits for consent: its block says so, the status bar asks, the sidebar marks the conversation")
    func consentAsked() throws {
        let (app, _) = try Self.waiting()
        let screen = app.screen
        #expect(screen.contains("│ ⚙ get_current_time · waiting for your consent  {\"timezone\": \"UTC\"}"))
        #expect(screen.contains("Run get_current_time (time)? y once · a always here · n no · Esc stops the reply"))
        #expect(screen.contains("│? What time i… consent?│"))
    }

    @Test(
        "other letters are not typed while it asks; y runs it, the block shows it running, its result starts round two")
    func allowedOnce() throws {
        var (app, _) = try Self.waiting()
        app.type("x")
        #expect(app.state.editor.isEmpty)
        #expect(app.state.hint == "y once · a always here · n no · Esc stops the reply")

        app.type("y")
        let runs = app.effects.compactMap { effect -> [ToolInvocation]? in
            if case .chat(.runTools(_, let calls)) = effect { calls } else { nil }
        }
        #expect(runs.flatMap { $0 }.map(\.call) == [Self.call])
        app.send(.ticked, after: 1_200)
        #expect(app.screen.contains("⚙ get_current_time · running 1.2 s"))
        #expect(!app.screen.contains("Run get_current_time"), "the question is answered")

        let id = try #require(app.state.chat.selectedConversationID)
        app.send(
            .chat(
                .toolCallFinished(
                    id,
                    ToolResult(
                        callID: "call_1", name: "get_current_time", content: "{\"datetime\": \"12:00\"}",
                        duration: .milliseconds(12)))))
        let next = try #require(
            app.effects.compactMap { effect -> StreamStart? in
                if case .chat(.startStream(let start)) = effect { start } else { nil }
            }.first)
        #expect(next.request.messages.last?.role == .tool)
        #expect(app.screen.contains("│ tools · 1 result sent back"))
        #expect(app.screen.contains("│ ✓ get_current_time · 12 ms → {\"datetime\": \"12:00\"}"))
        app.stream(next, [.text("It is noon."), .stop(StopReason(.endTurn))])
        app.finish(next)
        #expect(app.screen.contains("│ It is noon."))
        #expect(app.state.chat.toolLoops.isEmpty)
    }

    @Test("Esc while it asks ends the reply: no question, no call run, and the next message can be sent")
    func cancelled() throws {
        var (app, _) = try Self.waiting()
        app.press(.escape)
        #expect(!app.effects.contains { if case .chat(.runTools) = $0 { true } else { false } })
        #expect(!app.screen.contains("waiting for your consent"))
        #expect(app.screen.contains("│ ⚙ get_current_time  {\"timezone\": \"UTC\"}"))
        #expect(try app.asking("Never mind").request.messages.count == 3)
    }

    @Test("Enter on a tool message unfolds every output whole; on the reply, the call's whole arguments")
    func unfolded() throws {
        var (app, _) = try Self.waiting()
        app.type("y")
        let id = try #require(app.state.chat.selectedConversationID)
        let output = "line one\nline two\nline three"
        app.send(.chat(.toolCallFinished(id, ToolResult(callID: "call_1", name: "get_current_time", content: output))))
        app.press(.backTab, .up)
        #expect(app.state.focusedMessage?.role == .tool)
        app.press(.enter)
        // The transcript's cursor (▌) marks the unfolded message's lines.
        for line in ["── get_current_time", "line two", "line three"] { #expect(app.screen.contains("▌\(line)")) }
        app.press(.up, .enter)
        #expect(app.screen.contains("▌  {\"timezone\":"))
        #expect(app.screen.contains("▌   \"UTC\"}"))
        // The cursor left the output, which stays unfolded.
        for line in ["── get_current_time", "line two"] { #expect(app.screen.contains("│ \(line)")) }
    }

    @Test("a call of megabytes shows its start on one line, unfolded its first 16,000 characters and its size")
    func hugeArguments() throws {
        var app = App(width: 100, height: 40, showThinking: false)
        app.send(.chat(.listLoaded([], statuses: [:])))
        app.send(.chat(.toolsListed(Self.time, maxRounds: 10)))
        let start = try app.asking("What time is it?")
        let huge = "{\"timezone\": \"" + String(repeating: "x", count: 2_000_000) + "\"}"
        app.stream(
            start,
            [.toolCall(ToolCall(id: "call_1", name: "get_current_time", arguments: huge)), .stop(StopReason(.toolUse))])
        app.finish(start)
        #expect(app.screen.contains("⚙ get_current_time · waiting for your consent  {\"timezone\": \"xxxx"))
        app.press(.backTab, .enter)
        #expect(app.screen.contains("… (2,000,016 bytes in all)"))
    }
}
