import Foundation
import Logging
import ParleyCore

/// The tool servers one run of Parley uses: the configured MCP servers, started together, and
/// Parley's own tools (`BuiltInTools`), with every tool in one catalog and each call taken to
/// the server that offers it. `parley ask` and the app both run calls through it; deciding
/// whether a call may run (consent) is theirs.
public actor ToolServers {
    private let servers: [String: MCPServer]
    public nonisolated let catalog: ToolCatalog
    /// The most of a tool's output sent back to the model, in bytes (`[tools] max_output_kb`).
    private let outputLimit: Int

    private init(servers: [MCPServer], catalog: ToolCatalog, outputLimit: Int) {
        self.servers = Dictionary(uniqueKeysWithValues: servers.map { ($0.settings.name, $0) })
        self.catalog = catalog
        self.outputLimit = outputLimit
    }

    /// Starts `settings`' servers at once and lists their tools. Those that fail are returned
    /// with why, the others serve; `builtIn` adds Parley's own tools to the catalog.
    public static func start(
        _ settings: [ToolServerSettings], builtIn: Bool = false, outputLimit: Int = ToolResult.defaultLimit,
        logger: Logger, clientVersion: String, searchPath: String?
    ) async -> (servers: ToolServers, failures: [(server: String, failure: ToolServerFailure)]) {
        // Each server's start is a function of its own returning a plain value: a task group whose
        // children returned a tuple of a String and a Result, made in closures with typed throws,
        // crashed the release build when the group handed a result over.
        let started = await withTaskGroup(of: Started.self) { group in
            for (index, server) in settings.enumerated() {
                group.addTask {
                    await Started(
                        index: index,
                        outcome: startOne(server, logger: logger, clientVersion: clientVersion, searchPath: searchPath))
                }
            }
            var started: [Started] = []
            for await one in group { started.append(one) }
            return started
        }
        var running: [(MCPServer, [MCPTool])] = []
        var failures: [(server: String, failure: ToolServerFailure)] = []
        // In the config's order, so tool names and messages do not depend on which answered first.
        for one in started.sorted(by: { $0.index < $1.index }) {
            switch one.outcome {
            case .running(let server, let tools): running.append((server, tools))
            case .failed(let failure): failures.append((settings[one.index].name, failure))
            }
        }
        let listings =
            running.map { server, tools in
                ToolCatalog.Listing(
                    server: server.settings.name, trusted: server.settings.trust == .always,
                    tools: tools.map {
                        ToolDefinition(name: $0.name, description: $0.description, parameters: $0.inputSchema)
                    })
            } + (builtIn ? [BuiltInTools.listing] : [])
        let servers = ToolServers(servers: running.map(\.0), catalog: ToolCatalog(listings), outputLimit: outputLimit)
        return (servers, failures)
    }

    /// Runs one call: its result (capped, with how long it took), or why it failed as the result's
    /// error, which goes back to the model. Cancelling the task stops the call.
    public func run(_ invocation: ToolInvocation) async -> ToolResult {
        let call = invocation.call
        if invocation.tool.server == BuiltInTools.server { return BuiltInTools.run(call) }
        guard let server = servers[invocation.tool.server] else {
            return ToolResult(callID: call.id, name: call.name, content: "its server is not running", isError: true)
        }
        do throws(ToolServerFailure) {
            let outcome = try await server.call(tool: invocation.tool.tool, argumentsJSON: call.arguments)
            return ToolResult(
                callID: call.id, name: call.name, content: outcome.text, isError: outcome.isError,
                duration: outcome.duration
            ).capped(at: outputLimit)
        } catch {
            return ToolResult(callID: call.id, name: call.name, content: error.description, isError: true)
        }
    }

    public func shutdown() async {
        for server in servers.values { await server.shutdown() }
    }

    /// How one server's start went.
    private struct Started: Sendable {
        var index: Int
        var outcome: Outcome
    }

    private enum Outcome: Sendable {
        case running(MCPServer, [MCPTool])
        case failed(ToolServerFailure)
    }

    /// Starts one server and lists its tools; one that starts but cannot list them is stopped.
    private static func startOne(
        _ settings: ToolServerSettings, logger: Logger, clientVersion: String, searchPath: String?
    ) async -> Outcome {
        let server: MCPServer
        do {
            server = try await MCPServer.start(
                settings, logger: logger, clientVersion: clientVersion, searchPath: searchPath)
        } catch {
            return .failed(error)
        }
        do {
            return .running(server, try await server.tools())
        } catch {
            await server.shutdown()
            return .failed(error)
        }
    }
}

/// Parley's own tools, run in-process: the demo's clock, so the offline demo shows a tool round
/// (consent, a call, its result) with nothing installed.
public enum BuiltInTools {
    public static let server = "parley"
    /// Offered to the demo's conversations only: no real model is sent a tool nobody configured.
    public static let provider = "demo"

    static let clock = ToolDefinition(
        name: "clock", description: "The current date and time, in UTC.",
        parameters: ["type": "object", "properties": [:]])

    static var listing: ToolCatalog.Listing {
        ToolCatalog.Listing(server: server, trusted: false, tools: [clock], provider: provider)
    }

    static func run(_ call: ToolCall) -> ToolResult {
        guard call.name == clock.name else {
            return ToolResult(
                callID: call.id, name: call.name, content: "Parley has no tool \(call.name)", isError: true)
        }
        let now = Date()
        let text = now.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false)) + " UTC"
        return ToolResult(callID: call.id, name: call.name, content: text, duration: .zero)
    }
}
