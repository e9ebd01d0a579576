import ParleyCore
import Testing

@testable import ParleyTUI

/// The thinking pane stays put while the cursor moves, is as tall as what it shows, and a reply's
/// reasoning can also be unfolded in place in the transcript.
@Suite("The thinking pane, steady")
struct ThinkingPaneStoryTests {
    /// Two turns; the first reply thought briefly, the second at length.
    static func twoTurns() throws -> App {
        var app = App(width: 90, height: 40)
        app.send(.chat(.listLoaded([], statuses: [:])))
        let first = try app.asking("First")
        app.stream(first, [.thinking("A short thought."), .text("One."), .stop(StopReason(.endTurn))])
        app.finish(first)
        let second = try app.asking("Second")
        let long = (1...30).map { "Step \($0) of a long chain of thought." }.joined(separator: "\n\n")
        app.stream(second, [.thinking(long), .text("Two."), .stop(StopReason(.endTurn))])
        app.finish(second)
        return app
    }

    static func paneRows(_ screen: String) -> Int? {
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
        guard let top = rows.firstIndex(where: { $0.contains("├ Thinking") }) else { return nil }
        let bottom = rows[(top + 1)...].firstIndex { $0.contains("├──") } ?? rows.count
        return bottom - top - 1
    }

    @Test("moving the cursor over messages without reasoning keeps the pane, which says so")
    func staysWhileMoving() throws {
        var app = try Self.twoTurns()
        app.press(.tab, .tab)  // the transcript, its cursor on the last reply
        #expect(app.state.focus == .transcript)
        #expect(app.screen.contains("Step 30 of a long chain of thought."))
        app.press(.up)  // "Second", a message of the user's
        let screen = app.screen
        #expect(screen.contains("├ Thinking"))
        #expect(screen.contains("No reasoning for this message."))
        app.press(.up)  // the first reply
        #expect(app.screen.contains("A short thought."))
    }

    @Test("the pane is as tall as the focused reasoning, up to a third of the room")
    func heightFollowsContent() throws {
        var app = try Self.twoTurns()
        #expect(Self.paneRows(app.screen) == 10, "the long reasoning: as tall as the pane may be")
        app.press(.tab, .tab, .up, .up)
        #expect(Self.paneRows(app.screen) == 1, "one line of reasoning, one line of pane")
    }

    @Test("Enter on a reply unfolds its reasoning in place, under “▾ Thought for …”; Enter again folds it")
    func unfoldInPlace() throws {
        var app = try Self.twoTurns()
        app.press(.tab, .tab, .up, .up)
        #expect(app.screen.contains("▸ Thought for"))
        app.press(.enter)
        var screen = app.screen
        #expect(screen.contains("▾ Thought for"))
        // In the transcript, set off by a rule (the cursor's mark beside it), and in the pane.
        #expect(screen.contains("▌│ A short thought."))
        #expect(screen.ranges(of: "A short thought.").count == 2)
        app.press(.enter)
        screen = app.screen
        #expect(screen.contains("▸ Thought for"))
        #expect(screen.ranges(of: "A short thought.").count == 1, "in the pane only")
    }
}
