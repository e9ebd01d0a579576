import ParleyCore
import Testing

@testable import ParleyTUI

/// A streaming reply is drawn after every batch, and its text grows in the chat state at every
/// batch. Were the transcript's layout to hold the reply's own string, each append would copy all
/// of it: megabytes at every batch near the reply limit, the CPU climbing as the reply grows.
@Suite("A growing reply is appended to, not copied, at each batch")
struct GrowingReplyTests {
    enum Shape: String, CaseIterable, CustomTestStringConvertible {
        case lines, oneLongLine
        var testDescription: String { rawValue }

        /// About a kilobyte, as a fast model's batch is.
        func batch(_ number: Int) -> String {
            switch self {
            case .lines:
                (0..<8).map { "Line \(number).\($0) of the reply, in words that wrap across the pane.\n" }.joined()
            case .oneLongLine: String(repeating: "{\"key\":\"value\",\"n\":\(number)}, ", count: 40)
            }
        }
    }

    @Test(
        "drawn after each of 300 batches, the reply's text moves only as its storage doubles", arguments: Shape.allCases
    )
    func appendedInPlace(shape: Shape) throws {
        var app = App(width: 80, height: 24)
        let start = try app.asking("A long one, please")
        var moves = 0
        var last: UInt?
        for number in 0..<300 {
            app.stream(start, [.text(shape.batch(number))])
            _ = app.frame
            let text = try #require(app.state.chat.transcripts[start.conversationID]?.last?.text)
            let address = text.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
            if address != last { moves += 1 }
            last = address
        }
        // 300 KB grown from 1 KB doubles its storage about nine times; a checkpoint save (one a
        // second, every 20 batches here) may cost one copy more each. Copied at every batch: 300.
        #expect(moves < 40)
        #expect(app.screen.contains(shape == .lines ? "Line 299.7 of the reply" : "\"n\":299}"))
    }

    @Test("the layout's own copy of the text grows in place too, and is the reply's text", arguments: Shape.allCases)
    func layoutCopyInPlace(shape: Shape) {
        var body = MessageBody(width: 80, styled: true, appendOnly: true)
        var reply = ""
        var moves = 0
        var last: UInt?
        for number in 0..<300 {
            reply += shape.batch(number)
            body.update(reply)
            _ = body.line(body.lineCount - 1)
            let address = body.text.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
            if address != last { moves += 1 }
            last = address
        }
        // A word cut off at a batch's end, held by the long line's wrapper, must not hold on to it.
        #expect(moves < 40)
        #expect(body.text == reply)
        body.update(reply, final: true)
        #expect(body.lines == LongReplyTests.grown(reply, width: 80).lines)
    }
}
