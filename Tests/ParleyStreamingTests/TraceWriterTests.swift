import Foundation
import ParleyCore
import ParleyStreaming
import ParleyTestSupport
import Testing

@Suite("Writing the trace file")
struct TraceWriterTests {
    @Test("events are appended as JSON lines with sizes and times, after what the file held")
    func appendsLines() throws {
        let path = ScratchFolders.path("trace") + ".jsonl"
        try "earlier\n".write(toFile: path, atomically: true, encoding: .utf8)

        let writer = try TraceWriter(path: path)
        writer.write(.sessionStarted(SessionID("s1"), conversation: ConversationID("c1"), time: .milliseconds(3)))
        writer.hook(.batchDelivered(SessionID("s1"), time: .milliseconds(53), deltas: 7, bytes: 120))
        var metrics = SessionMetrics()
        metrics.bytes = 900
        metrics.timeToFirstToken = .milliseconds(40)
        writer.write(
            .sessionEnded(
                SessionID("s1"), time: .milliseconds(90),
                end: SessionEnd(outcome: .failed(ProviderError(.auth, "bad key sk-123", status: 401)), metrics: metrics)
            ))

        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0] == "earlier")
        let start = try JSON.parse(Array(lines[1].utf8))
        #expect(start["type"]?.string == "session_start")
        #expect(start["session"]?.string == "s1")
        #expect(start["time_ms"]?.double == 3)
        let batch = try JSON.parse(Array(lines[2].utf8))
        #expect(batch["deltas"]?.int == 7)
        #expect(batch["bytes"]?.int == 120)
        let end = try JSON.parse(Array(lines[3].utf8))
        #expect(end["outcome"]?.string == "failed")
        #expect(end["error"]?.string == "auth")
        #expect(end["status"]?.int == 401)
        #expect(end["bytes"]?.int == 900)
        #expect(end["ttft_ms"]?.double == 40)
        #expect(!lines[3].contains("sk-123"))
    }

    @Test("a path that cannot be opened is a clear error")
    func unopenable() {
        #expect(throws: TraceWriter.OpenError.self) { try TraceWriter(path: "/nonexistent-dir/trace.jsonl") }
    }
}
