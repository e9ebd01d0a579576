import Clocks
import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@testable import ParleyTools

@Suite("A tool server that fails: a clear error naming it, never a hang")
struct MCPServerFailureTests {
    @Test("a command on no folder of PATH is named, with what to do")
    func commandNotFound() async {
        let settings = ToolServerSettings(
            name: "gone", connection: .stdio(command: "no-such-mcp-server", arguments: [], environment: [:]))
        let error = await failure { try await start(settings) }
        #expect(error?.reason == .commandNotFound(command: "no-such-mcp-server"))
        #expect(
            error?.description
                == "MCP server 'gone': command 'no-such-mcp-server' not found on PATH; give its full path as command")
    }

    @Test("a file that cannot be run is named as such")
    func notExecutable() async throws {
        let path = ScratchFolders.path("not-a-server")
        try "just text".write(toFile: path, atomically: true, encoding: .utf8)
        let settings = ToolServerSettings(
            name: "text", connection: .stdio(command: path, arguments: [], environment: [:]))
        let error = await failure { try await start(settings) }
        #expect(error?.reason == .notExecutable(path: path))
    }

    @Test("a server that exits at once: how it ended and its last words on stderr, which the log has too")
    func exitsAtOnce() async {
        let log = LogLines()
        let error = await failure { try await start(fake("exit-at-once"), log: log) }
        #expect(
            error?.reason
                == .exitedDuringStart(
                    ending: "exited with status 3", stderr: ["starting fake server", "fatal: no configuration found"]))
        #expect(
            error?.description == """
                MCP server 'fake' exited with status 3 while starting; its stderr ended with:
                  starting fake server
                  fatal: no configuration found
                """)
        #expect(log.all.contains("[fake] stderr: fatal: no configuration found"))
    }

    @Test("a server that writes text to stdout does not speak MCP, and says what it wrote")
    func banner() async {
        let error = await failure { try await start(fake("banner")) }
        #expect(
            error?.reason
                == .notMCP(
                    detail: "it wrote \"Fake server 1.0 listening on stdio\" to stdout, which is not a JSON-RPC message"
                ))
    }

    @Test("a protocol version Parley does not speak is refused, naming both")
    func wrongVersion() async {
        let error = await failure { try await start(fake("wrong-version")) }
        #expect(error?.reason == .unsupportedVersion("1999-01-01", supported: MCPServer.supportedVersions))
        #expect(error?.description.contains("speaks MCP version 1999-01-01, which Parley does not") == true)
        #expect(MCPServer.supportedVersions.first == "2025-11-25")
    }

    @Test("a server that never answers initialize is stopped at its time limit")
    func neverStarts() async {
        let clock = TestClock()
        let started = await ticking(clock, by: .seconds(30)) { try await start(fake("never-starts"), clock: clock) }
        #expect((started.failure as? ToolServerFailure)?.reason == .startTimedOut(after: .seconds(30)))
    }

    @Test("a server that exits mid-call: how it ended and its stderr; the next call starts it again")
    func crash() async throws {
        let server = try await start(fake())
        let first = try await server.call(tool: "pid", argumentsJSON: "")
        let error = await failure { try await server.call(tool: "crash", argumentsJSON: "{}") }
        #expect(
            error?.reason
                == .crashed(during: "crash", ending: "exited with status 7", stderr: ["panic: the tool broke"]))
        let second = try await server.call(tool: "pid", argumentsJSON: "")
        #expect(second.text != first.text)
        await server.shutdown()
    }

    @Test("calls made together after a crash share one new server")
    func togetherAfterCrash() async throws {
        let server = try await start(fake())
        _ = await failure { try await server.call(tool: "crash", argumentsJSON: "{}") }
        async let first = server.call(tool: "pid", argumentsJSON: "")
        async let second = server.call(tool: "pid", argumentsJSON: "")
        let pids = try await [first.text, second.text]
        #expect(pids[0] == pids[1])
        await server.shutdown()
        #expect(kill(try #require(Int32(pids[0])), 0) != 0)
    }

    @Test("a call that never ends is cancelled at its time limit; a server that still answers is kept")
    func slowCall() async throws {
        let server = try await start(fake())
        let before = try await server.call(tool: "pid", argumentsJSON: "")
        let error = await failure {
            try await server.call(tool: "hang", argumentsJSON: "{}", timeout: .milliseconds(200))
        }
        #expect(error?.reason == .timedOut(during: "hang", after: .milliseconds(200), serverStopped: false))
        #expect(
            error?.description == "MCP server 'fake': hang did not finish within 200 ms; it was cancelled")
        #expect(try await server.call(tool: "pid", argumentsJSON: "").text == before.text)
        await server.shutdown()
    }

    @Test("a server stuck in a call is stopped, and started again when next used")
    func stuckServer() async throws {
        // Time moves only for the frozen call (and then the ping that finds the server stuck).
        let clock = TestClock()
        let server = try await start(fake(), clock: clock)
        let before = try await server.call(tool: "pid", argumentsJSON: "")
        let frozen = await ticking(clock, by: .seconds(5)) {
            try await server.call(tool: "freeze", argumentsJSON: "{}", timeout: .seconds(5))
        }
        let error = frozen.failure as? ToolServerFailure
        #expect(error?.reason == .timedOut(during: "freeze", after: .seconds(5), serverStopped: true))
        #expect(error?.description.contains("was stopped (it starts again when next used)") == true)
        let pid = try #require(Int32(before.text))
        #expect(await eventually { kill(pid, 0) != 0 })
        let after = try await server.call(tool: "pid", argumentsJSON: "")
        #expect(after.text != before.text)
        await server.shutdown()
    }

    @Test("a message over the size cap stops the server; within it, 8 MB comes through whole")
    func hugeOutput() async throws {
        let capped = try await start(fake(maxMessageBytes: 1 << 20))
        let error = await failure { try await capped.call(tool: "big", argumentsJSON: #"{"bytes": 2000000}"#) }
        #expect(error?.reason == .messageTooLarge(limit: 1 << 20))
        #expect(error?.description == "MCP server 'fake' sent a message larger than 1 MB; it was stopped")
        #expect(try await capped.call(tool: "echo", argumentsJSON: #"{"text": "again"}"#).text == "again")
        await capped.shutdown()

        let server = try await start(fake())
        let big = try await server.call(tool: "big", argumentsJSON: #"{"bytes": 8000000}"#)
        #expect(big.text.utf8.count == 8_000_000)
        await server.shutdown()
    }

    @Test("a result that is not one is a malformed reply")
    func malformed() async throws {
        let server = try await start(fake())
        let error = await failure { try await server.call(tool: "malformed", argumentsJSON: "{}") }
        #expect(
            error?.description
                == "MCP server 'fake' answered malformed with something that is not a valid reply: "
                + "its content is not a list of parts")
        await server.shutdown()
    }

    @Test("a server that writes megabytes to stderr never blocks; the log keeps the first megabyte")
    func chattyStderr() async throws {
        let log = LogLines()
        let server = try await start(fake("chatty"), log: log)
        #expect(try await server.call(tool: "echo", argumentsJSON: #"{"text": "still here"}"#).text == "still here")
        await server.shutdown()
        let chatter = log.all.filter { $0.hasPrefix("[fake] stderr: chatter") }
        #expect(chatter.count > 100)
        #expect(chatter.count < 1100)
        #expect(log.all.contains("[fake] stderr: more than 1 MB; the rest is not logged"))
    }

    @Test("Esc during a call: the call ends cancelled at once")
    func cancelled() async throws {
        let server = try await start(fake())
        let call = Task { try await server.call(tool: "hang", argumentsJSON: "{}") }
        call.cancel()
        let result = await call.result
        #expect((result.failure as? ToolServerFailure)?.reason == .cancelled(during: "hang"))
        #expect(try await server.call(tool: "echo", argumentsJSON: #"{"text": "ok"}"#).text == "ok")
        await server.shutdown()
    }

}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
