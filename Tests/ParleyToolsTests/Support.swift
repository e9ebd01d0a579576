import Clocks
import Foundation
import Logging
import ParleyCore
import ParleyTestSupport
import Synchronization

@testable import ParleyTools

/// What a server's stderr and Parley's notes about it sent to the log, as the app's log file
/// would get them.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    var logger: Logger {
        Logger(label: "parley.tools") { _ in Handler(sink: self) }
    }

    fileprivate func append(_ line: String) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let sink: LogLines
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let server = metadata["mcp_server"].map { "[\($0)] " } ?? ""
            sink.append(server + event.message.description)
        }
    }
}

/// The fake server (`Tests/Fixtures/mcp/fake_mcp_server.py`) started the way `mode` says.
func fake(
    _ mode: String = "well", timeout: Duration = ToolServerSettings.standardTimeout,
    environment: [String: String] = [:], maxMessageBytes: Int = ToolServerSettings.standardMaxMessageBytes
) -> ToolServerSettings {
    ToolServerSettings(
        name: "fake",
        connection: .stdio(command: MCPServers.python, arguments: [MCPServers.fake, mode], environment: environment),
        timeout: timeout, maxMessageBytes: maxMessageBytes)
}

func start(
    _ settings: ToolServerSettings, log: LogLines = LogLines(), clock: any Clock<Duration> = ContinuousClock()
) async throws(ToolServerFailure) -> MCPServer {
    try await MCPServer.start(
        settings, logger: log.logger, clientVersion: "test", searchPath: ProcessInfo.processInfo.environment["PATH"],
        clock: clock)
}

/// `clock` moved on past `step` again and again until `body` ends: for a wait that only time
/// ends, whenever the wait begins, however slowly the machine gets there.
func ticking<T: Sendable>(
    _ clock: TestClock<Duration>, by step: Duration, _ body: @escaping @Sendable () async throws -> T
)
    async -> Result<T, any Error>
{
    let waiting = Task { try await body() }
    let ticker = Task {
        while !Task.isCancelled {
            await clock.advance(past: step)
            try? await Task.sleep(for: .milliseconds(1))
        }
    }
    defer { ticker.cancel() }
    return await waiting.result
}

/// The failure `body` throws, or nil when it throws none.
func failure<T>(_ body: () async throws -> T) async -> ToolServerFailure? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error as? ToolServerFailure
    }
}
