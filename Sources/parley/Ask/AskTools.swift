import Foundation
import Logging
import ParleyConfig
import ParleyCore
import ParleyTools

/// The tools a `parley ask` reply is offered: the chosen MCP servers started, their tools listed
/// under names unique across servers, and each call run only with the user's consent.
actor AskTools {
    private let servers: [String: MCPServer]
    /// By the name the model is shown.
    private let tools: [String: MCPTool]
    let definitions: [ToolDefinition]
    private var consent: ToolConsent
    /// A person is at the terminal to answer consent questions.
    private let canAsk: Bool

    private init(servers: [MCPServer], tools: [MCPTool], yes: Bool, canAsk: Bool) {
        self.servers = Dictionary(uniqueKeysWithValues: servers.map { ($0.settings.name, $0) })
        // A name two servers share is told apart by its server's.
        let shared = Dictionary(grouping: tools, by: \.name).filter { $0.value.count > 1 }.keys
        let named = tools.map { tool in (shared.contains(tool.name) ? "\(tool.server)_\(tool.name)" : tool.name, tool) }
        self.tools = Dictionary(named, uniquingKeysWith: { first, _ in first })
        definitions = named.map { name, tool in
            ToolDefinition(name: name, description: tool.description, parameters: tool.inputSchema)
        }
        consent = ToolConsent(allowsAll: yes)
        self.canAsk = canAsk
    }

    /// Starts `settings`' servers at once and lists their tools; the first that fails stops them
    /// all and is the error.
    static func start(_ settings: [ToolServerSettings], yes: Bool, searchPath: String?) async throws(CommandFailure)
        -> AskTools
    {
        let logger = Logger(label: "parley.mcp")
        let started = await withTaskGroup(of: Result<(MCPServer, [MCPTool]), ToolServerFailure>.self) { group in
            for server in settings {
                group.addTask {
                    do throws(ToolServerFailure) {
                        let running = try await MCPServer.start(
                            server, logger: logger, clientVersion: ParleyVersion.current, searchPath: searchPath)
                        do throws(ToolServerFailure) {
                            return .success((running, try await running.tools()))
                        } catch {
                            await running.shutdown()
                            return .failure(error)
                        }
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let servers = started.compactMap { try? $0.get() }
        if let failure = started.lazy.compactMap({ result -> ToolServerFailure? in
            if case .failure(let failure) = result { failure } else { nil }
        }).first {
            for (server, _) in servers { await server.shutdown() }
            throw .failed(failure.description)
        }
        return AskTools(
            servers: servers.map(\.0), tools: servers.flatMap(\.1), yes: yes, canAsk: TerminalQuestion.isPossible)
    }

    /// Runs a round's calls: consent is asked one call at a time, then the allowed calls run
    /// together. One result per call, in the calls' order; refused and failed calls too.
    func run(_ calls: [ToolCall]) async -> [(ToolResult, Duration?)] {
        var decided: [(ToolCall, MCPTool?, ToolResult?)] = []
        for call in calls {
            guard let tool = tools[call.name] else {
                decided.append((call, nil, Self.failed(call, "no tool named \(call.name) was offered")))
                continue
            }
            let trusted = servers[tool.server]?.settings.trust == .always
            switch consent.verdict(server: tool.server, tool: tool.name, trusted: trusted, canAsk: canAsk) {
            case .run:
                decided.append((call, tool, nil))
            case .refuse(let reason):
                decided.append((call, tool, Self.failed(call, reason)))
            case .ask:
                let answer = await TerminalQuestion.consent(server: tool.server, tool: tool.name, call.arguments)
                let runs = consent.record(answer, server: tool.server, tool: tool.name)
                decided.append((call, tool, runs ? nil : Self.failed(call, ToolConsent.refusal(tool.name))))
            }
        }
        return await withTaskGroup(of: (Int, (ToolResult, Duration?)).self) { group in
            for (index, (call, tool, refused)) in decided.enumerated() {
                if let refused {
                    group.addTask { (index, (refused, nil)) }
                } else if let tool, let server = servers[tool.server] {
                    group.addTask { (index, await Self.call(call, tool, on: server)) }
                }
            }
            var results: [(Int, (ToolResult, Duration?))] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    func shutdown() async {
        for server in servers.values { await server.shutdown() }
    }

    private static func call(_ call: ToolCall, _ tool: MCPTool, on server: MCPServer) async -> (ToolResult, Duration?) {
        do throws(ToolServerFailure) {
            let outcome = try await server.call(tool: tool.name, argumentsJSON: call.arguments)
            let result = ToolResult(callID: call.id, name: call.name, content: outcome.text, isError: outcome.isError)
            return (result.capped(), outcome.duration)
        } catch {
            return (failed(call, error.description), nil)
        }
    }

    private static func failed(_ call: ToolCall, _ reason: String) -> ToolResult {
        ToolResult(callID: call.id, name: call.name, content: reason, isError: true)
    }
}

/// A consent question on the terminal: asked on stderr, answered on /dev/tty (standard input may
/// be the prompt, piped in), read on a thread of its own so no task waits on a blocked read.
enum TerminalQuestion {
    static var isPossible: Bool {
        guard isatty(STDERR_FILENO) == 1 else { return false }
        let tty = open("/dev/tty", O_RDONLY)
        guard tty >= 0 else { return false }
        close(tty)
        return true
    }

    static func consent(server: String, tool: String, _ arguments: String) async -> ToolConsent.Answer {
        Console.error(
            "Run \(tool) of \(server) with \(arguments)?\n  [y] yes, once   [a] always, in this reply   [n] no: ")
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            Thread.detachNewThread { continuation.resume(returning: readLine(fromTerminal: ())) }
        }
        switch line?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "y", "yes": return .once
        case "a", "always": return .forConversation
        default: return .refuse
        }
    }

    private static func readLine(fromTerminal: Void) -> String? {
        guard let tty = fopen("/dev/tty", "r") else { return nil }
        defer { fclose(tty) }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        guard getline(&buffer, &capacity, tty) > 0, let buffer else { return nil }
        return String(cString: buffer).trimmingCharacters(in: .newlines)
    }
}
