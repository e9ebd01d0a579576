import Foundation
import Logging
import ParleyCore

/// One configured MCP server as Parley uses it: started and greeted, its tools listed, each
/// request with a deadline, so that no call waits forever. A server that died or was stopped for
/// hanging starts again when next used.
///
/// The protocol's Swift SDK is not used: its client works, but its HTTP transport brings
/// Foundation's URLSession, which a static Linux build cannot link without libcurl, and Parley
/// ships as one static binary. What Parley needs of MCP is small (initialize, tools/list,
/// tools/call, ping, cancellation), and is here and in `RPCConnection`.
public actor MCPServer {
    public nonisolated let settings: ToolServerSettings
    private let logger: Logger
    private let clientVersion: String
    private let searchPath: String?
    private let clock: any Clock<Duration>
    private var session: Session?
    /// The start under way, which calls made meanwhile wait for too.
    private var starting: Task<Session, any Error>?
    private var listed: [MCPTool]?

    /// One run of the server (a child process, an HTTP session).
    private struct Session {
        let connection: RPCConnection
        var transport: any ServerTransport { connection.transport }
    }

    /// The MCP versions Parley speaks, newest first; it asks for the first.
    public static let supportedVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    private init(
        settings: ToolServerSettings, logger: Logger, clientVersion: String, searchPath: String?,
        clock: any Clock<Duration>
    ) {
        self.settings = settings
        var logger = logger
        logger[metadataKey: "mcp_server"] = "\(settings.name)"
        self.logger = logger
        self.clientVersion = clientVersion
        self.searchPath = searchPath
        self.clock = clock
    }

    /// Starts the server and greets it (`initialize`), within its `timeout`. A stdio server's
    /// command is found on `searchPath` (Parley's own PATH), and started with only its entry's
    /// environment; its stderr goes to `logger`.
    public static func start(
        _ settings: ToolServerSettings, logger: Logger, clientVersion: String,
        searchPath: String?,
        clock: any Clock<Duration> = ContinuousClock()
    ) async throws(ToolServerFailure) -> MCPServer {
        let server = MCPServer(
            settings: settings, logger: logger, clientVersion: clientVersion, searchPath: searchPath, clock: clock)
        _ = try await server.running()
        return server
    }

    /// The tools the server offers, asked once.
    public func tools() async throws(ToolServerFailure) -> [MCPTool] {
        if let listed { return listed }
        let session = try await running()
        var tools: [MCPTool] = []
        var cursor: String?
        // A server that hands out cursors forever is not followed forever.
        for _ in 0..<100 {
            let page = await session.connection.request("tools/list", cursor.map { ["cursor": .string($0)] } ?? [:])
            let result = try await answer(page.answer, during: .listing, session: session, within: settings.timeout)
            guard let found = result["tools"]?.array else {
                throw failure(.malformedReply(during: Activity.listing.words, detail: "it holds no list of tools"))
            }
            for tool in found {
                guard let name = tool["name"]?.string else {
                    throw failure(.malformedReply(during: Activity.listing.words, detail: "a tool has no name"))
                }
                tools.append(
                    MCPTool(
                        server: settings.name, name: name, description: tool["description"]?.string ?? "",
                        inputSchema: tool["inputSchema"] ?? ["type": "object"]))
            }
            cursor = result["nextCursor"]?.string
            if cursor == nil { break }
        }
        listed = tools
        return tools
    }

    /// Calls `tool` with `argumentsJSON` (a JSON object; empty for none), within `timeout` (the
    /// server's own when nil). A tool that ran and failed is an outcome with `isError`; every
    /// other failure is thrown.
    public func call(tool: String, argumentsJSON: String, timeout: Duration? = nil) async throws(ToolServerFailure)
        -> ToolOutcome
    {
        let arguments: JSON
        switch Self.arguments(argumentsJSON) {
        case .success(let parsed): arguments = parsed
        case .failure(let problem): throw failure(.badArguments(tool: tool, detail: problem.detail))
        }
        let session = try await running()
        let started = ContinuousClock.now
        let request = await session.connection.request(
            "tools/call", ["name": .string(tool), "arguments": arguments])
        let result = try await answer(
            request.answer, during: .calling(tool), session: session, within: timeout ?? settings.timeout,
            id: request.id)
        guard let text = ToolOutcome.text(of: result["content"] ?? .null) else {
            throw failure(.malformedReply(during: tool, detail: "its content is not a list of parts"))
        }
        return ToolOutcome(
            text: text, isError: result["isError"]?.bool ?? false, duration: ContinuousClock.now - started)
    }

    /// Lets the server go: a child's stdin is closed and it is waited for (SIGTERM, then SIGKILL,
    /// for one that does not exit); an HTTP session is ended.
    public func shutdown() async {
        if let starting { _ = await starting.result }
        guard let session else { return }
        self.session = nil
        await session.connection.close()
    }

    // MARK: Starting

    /// The running session, started (again) when there is none. Calls made together while the
    /// server starts share one start: two would leave a server running that nothing owns.
    private func running() async throws(ToolServerFailure) -> Session {
        if let session, !session.transport.isClosed { return session }
        session = nil
        let start = starting ?? Task { try await begin() }
        starting = start
        let result = await withTaskCancellationHandler {
            await start.result
        } onCancel: {
            start.cancel()
        }
        if starting == start { starting = nil }
        switch result {
        case .success(let session): return session
        case .failure(let error as ToolServerFailure): throw error
        case .failure: throw failure(.cancelled(during: Activity.starting.words))
        }
    }

    /// Starts the server and greets it.
    private func begin() async throws(ToolServerFailure) -> Session {
        let transport: any ServerTransport
        switch settings.connection {
        case .stdio(let command, let arguments, let environment):
            transport = try await launch(command, arguments: arguments, environment: environment)
        case .http(let url, let headers):
            guard let endpoint = URL(string: url) else { throw failure(.unreachable(url: url, detail: "not a URL")) }
            transport = HTTPTransport(endpoint: endpoint, headers: headers, messageLimit: settings.maxMessageBytes)
        }
        let session = Session(connection: RPCConnection.open(transport, logger: logger))
        let hello = await session.connection.request(
            "initialize",
            [
                "protocolVersion": .string(Self.supportedVersions[0]), "capabilities": [:],
                "clientInfo": ["name": "parley", "version": .string(clientVersion)],
            ])
        let greeting = try await answer(hello.answer, during: .starting, session: session, within: settings.timeout)
        guard let version = greeting["protocolVersion"]?.string else {
            transport.kill()
            throw failure(.notMCP(detail: "its answer to initialize names no protocol version"))
        }
        guard Self.supportedVersions.contains(version) else {
            transport.kill()
            throw failure(.unsupportedVersion(version, supported: Self.supportedVersions))
        }
        await transport.agreed(version)
        do {
            try await session.connection.notify("notifications/initialized")
        } catch {
            transport.kill()
            throw failure(await diagnose(error, during: .starting, session: session))
        }
        self.session = session
        listed = nil
        return session
    }

    /// A stdio server's command, found and started with only its entry's environment.
    private func launch(_ command: String, arguments: [String], environment: [String: String])
        async throws(ToolServerFailure) -> ChildProcessTransport
    {
        let executable: String
        switch CommandPath.resolve(command, path: searchPath) {
        case .executable(let path): executable = path
        case .notExecutable(let path): throw failure(.notExecutable(path: path))
        case .notFound: throw failure(.commandNotFound(command: command))
        }
        let child = await ChildProcessTransport.launch(
            executable, arguments: arguments, environment: environment, messageLimit: settings.maxMessageBytes,
            logger: logger)
        guard child.started else { throw failure(.couldNotStart(detail: await child.ending.value.ending)) }
        return child
    }

    // MARK: Waiting

    /// `request`'s answer within `limit`. On time-out or cancellation the server is told (`id`)
    /// and, when it no longer answers at all, stopped; a server that does not finish starting is
    /// stopped.
    private func answer<Answer>(
        _ request: Task<Answer, any Error>, during activity: Activity, session: Session, within limit: Duration,
        id: Int? = nil
    ) async throws(ToolServerFailure) -> Answer {
        switch await request.value(within: limit, clock: clock) {
        case .answered(.success(let answer)):
            return answer
        case .answered(.failure(let error)):
            let reason = await diagnose(error, during: activity, session: session)
            if case .starting = activity { session.transport.kill() }
            throw failure(reason)
        case .timedOut:
            if case .starting = activity {
                session.transport.kill()
                throw failure(.startTimedOut(after: limit))
            }
            let stopped = await abandon(id, of: session, checking: true)
            throw failure(.timedOut(during: activity.words, after: limit, serverStopped: stopped))
        case .cancelled:
            if case .starting = activity { session.transport.kill() }
            _ = await abandon(id, of: session, checking: false)
            throw failure(.cancelled(during: activity.words))
        }
    }

    /// Tells the server its request `id` is abandoned. When `checking`, pings it too (within the
    /// server's own time limit, as any request), and stops it when it does not answer: a server
    /// stuck in one request is stuck for every other. Returns whether it was stopped.
    private func abandon(_ id: Int?, of session: Session, checking: Bool) async -> Bool {
        if let id {
            await session.transport.abandon(id)
            // Within a short limit: even a write blocks on a server that has stopped reading.
            _ = await Task { try await session.connection.cancel(id, reason: "timed out") }.value(
                within: min(settings.timeout, ChildProcessTransport.grace), clock: clock)
        }
        guard checking else { return false }
        if case .answered(.success) = await session.connection.request("ping").answer.value(
            within: settings.timeout, clock: clock)
        {
            return false
        }
        logger.warning("stopped: it did not answer a ping after a request timed out")
        session.transport.kill()
        if self.session?.transport === session.transport { self.session = nil }
        return true
    }

    /// Why a request failed: what the transport knows (the server ended, an HTTP status), else
    /// what the server answered.
    private func diagnose(_ error: any Error, during activity: Activity, session: Session) async
        -> ToolServerFailure.Reason
    {
        if let reason = await session.transport.explain(error, during: activity) { return reason }
        switch (activity, error) {
        case (_, let garbled as RPCConnection.Garbled):
            return .notMCP(detail: "it sent \"\(garbled.excerpt)\", which is not JSON")
        case (.starting, let refusal as RPCConnection.Refusal):
            return .notMCP(detail: "it answered initialize with an error: \(refusal.message)")
        case (_, let refusal as RPCConnection.Refusal):
            return .refused(during: activity.words, message: refusal.message)
        default:
            return .malformedReply(during: activity.words, detail: "\(error)")
        }
    }

    private func failure(_ reason: ToolServerFailure.Reason) -> ToolServerFailure {
        ToolServerFailure(server: settings.name, reason: reason)
    }

    /// A call's arguments: a JSON object, or nothing; else what is wrong with them.
    static func arguments(_ text: String) -> Result<JSON, ArgumentProblem> {
        guard text.contains(where: { !$0.isWhitespace }) else { return .success([:]) }
        do {
            let arguments = try JSON.parse(text)
            guard arguments.object != nil else {
                return .failure(ArgumentProblem(detail: "they are JSON, but not an object ({…})"))
            }
            return .success(arguments)
        } catch {
            return .failure(ArgumentProblem(detail: error.description))
        }
    }

    struct ArgumentProblem: Error {
        var detail: String
    }
}
