import Foundation
import Logging
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A stdio server's process as a transport. (The SDK's own `StdioTransport`, evaluated, polls
/// every 10 ms, buffers quadratically, and hangs spinning when the server dies.)
///
/// One task owns the child from spawn to reaping (`Subprocess.run`'s body cannot outlive the
/// call): it hands the child's stdin writer out, reads stdout into messages, drains stderr into
/// the log, obeys `stop` and `kill`, and ends with how the child ended. When stdout ends, the
/// message stream ends with an error, which fails whatever still waits, and the child is stopped
/// if it still runs.
actor ChildProcessTransport: ServerTransport {
    /// How the child ended; settles once it has been reaped.
    nonisolated let ending: Task<ChildEnding, Never>
    private nonisolated let messages: AsyncThrowingStream<Data, any Error>
    private nonisolated let controls: AsyncStream<Control>.Continuation
    private nonisolated let closed: OutputEnd
    private let messageLimit: Int
    /// nil when the child could not be started.
    private let writer: StandardInputWriter?
    /// Writes go one after another: a message larger than the pipe is written in parts, which
    /// another message's parts must not come between.
    private var lastWrite: Task<Void, any Error>?

    /// Why the transport can no longer be used.
    struct Closed: Error, CustomStringConvertible {
        var description: String { "the server's output has ended" }
    }

    /// How long a server has to exit after stdin closes, and again after SIGTERM, before SIGKILL.
    static let grace = Duration.seconds(2)

    enum Control: Sendable {
        /// Close stdin, as the protocol asks a stdio server to exit; SIGTERM, then SIGKILL, to
        /// its process group for one that does not.
        case stop
        /// SIGKILL to its process group, now: it stopped answering.
        case kill
    }

    private init(
        ending: Task<ChildEnding, Never>, messages: AsyncThrowingStream<Data, any Error>,
        controls: AsyncStream<Control>.Continuation, closed: OutputEnd, writer: StandardInputWriter?,
        messageLimit: Int
    ) {
        self.ending = ending
        self.messages = messages
        self.controls = controls
        self.closed = closed
        self.writer = writer
        self.messageLimit = messageLimit
    }

    /// Starts `executable` with exactly `environment` and returns once it runs (or failed to).
    static func launch(
        _ executable: String, arguments: [String], environment: [String: String], messageLimit: Int, logger: Logger
    ) async -> ChildProcessTransport {
        Self.ignoreBrokenPipes
        let (messages, incoming) = AsyncThrowingStream<Data, any Error>.makeStream()
        let (controlStream, controls) = AsyncStream<Control>.makeStream()
        let writer = FirstOf<StandardInputWriter?>()
        let closed = OutputEnd()
        let child = Child(
            executable: executable, arguments: arguments, environment: environment, messageLimit: messageLimit,
            logger: logger)
        let ending = Task {
            await child.run(writer: writer, incoming: incoming, controls: controlStream, closed: closed)
        }
        return ChildProcessTransport(
            ending: ending, messages: messages, controls: controls, closed: closed,
            writer: await writer.value(), messageLimit: messageLimit)
    }

    /// Writing to a server that has exited must fail, not kill Parley with SIGPIPE.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Whether the child was started at all.
    nonisolated var started: Bool { writer != nil }
    /// Whether its output has ended (it exited, or Parley stopped reading it).
    nonisolated var isClosed: Bool { closed.hasEnded }

    nonisolated func stop() { controls.yield(.stop) }
    nonisolated func kill() { controls.yield(.kill) }

    // MARK: ServerTransport

    /// A request that failed because the child is gone: how it ended, and what it said.
    func explain(_ error: any Error, during activity: Activity) async -> ToolServerFailure.Reason? {
        guard isClosed || error is Closed else { return nil }
        // (A write that failed may come just before the output's end: stop it, and wait for that.)
        stop()
        let end = await ending.value
        switch end.problem {
        case .tooLarge:
            return .messageTooLarge(limit: messageLimit)
        case .notJSON(let excerpt):
            return .notMCP(detail: "it wrote \"\(excerpt)\" to stdout, which is not a JSON-RPC message")
        case nil:
            if case .starting = activity { return .exitedDuringStart(ending: end.ending, stderr: end.stderr) }
            return .crashed(during: activity.words, ending: end.ending, stderr: end.stderr)
        }
    }

    /// Nothing beyond the protocol's cancellation: the child decides.
    func abandon(_ id: Int) async {}

    /// Nothing to do: stdio carries no version header.
    func agreed(_ version: String) async {}

    // MARK: Sending and receiving

    /// Stops the child and waits until it has been reaped.
    func disconnect() async {
        stop()
        _ = await ending.value
    }

    func send(_ data: Data) async throws {
        guard let writer, !isClosed else { throw Closed() }
        var line = [UInt8](data)
        line.append(0x0A)
        let previous = lastWrite
        let write = Task { [line] in
            _ = await previous?.result
            // (Subprocess writes nothing, without an error, once the child has exited.)
            guard try await writer.write(line) == line.count else { throw Closed() }
        }
        lastWrite = write
        try await write.value
    }

    nonisolated func receive() -> AsyncThrowingStream<Data, any Error> { messages }
}

/// How a child ended, for a failure's message.
struct ChildEnding: Sendable {
    /// "exited with status 1", "was killed by signal 9", or why it could not be started.
    var ending: String
    /// Its last lines on stderr.
    var stderr: [String]
    /// Why Parley stopped reading its output, when it did.
    var problem: MessageLines.Problem?
    /// Whether it ran at all.
    var started: Bool
}

/// Whether a child's output has ended, for any task to ask without waiting.
final class OutputEnd: Sendable {
    private let ended = Atomic(false)

    var hasEnded: Bool { ended.load(ordering: .acquiring) }
    func mark() { ended.store(true, ordering: .releasing) }
}
