import Foundation
import Logging
import ParleyConfig
import ParleyCore
import ParleyTools
import Synchronization

/// The tools a `parley ask` reply is offered: the chosen MCP servers started (`ToolServers`),
/// and each call run only with the user's consent.
actor AskTools {
    private let servers: ToolServers
    private var consent: ToolConsent
    /// A person is at the terminal to answer consent questions.
    private let canAsk: Bool

    private init(servers: ToolServers, yes: Bool, canAsk: Bool) {
        self.servers = servers
        consent = ToolConsent(allowsAll: yes)
        self.canAsk = canAsk
    }

    nonisolated var catalog: ToolCatalog { servers.catalog }

    /// Starts `settings`' servers at once and lists their tools; the first that fails stops them
    /// all and is the error.
    static func start(_ settings: [ToolServerSettings], yes: Bool, outputLimit: Int, searchPath: String?)
        async throws(CommandFailure) -> AskTools
    {
        // Parley's own tools too: the catalog offers them only to the demo, as in the app.
        let (servers, failures) = await ToolServers.start(
            settings, builtIn: true, outputLimit: outputLimit, logger: Logger(label: "parley.mcp"),
            clientVersion: ParleyVersion.current,
            searchPath: searchPath)
        if let (_, failure) = failures.first {
            await servers.shutdown()
            throw .failed(failure.description)
        }
        return AskTools(servers: servers, yes: yes, canAsk: TerminalQuestion.isPossible)
    }

    /// Runs a round's calls: consent is asked one call at a time, then the allowed calls run
    /// together. One result per call, in the calls' order; refused and failed calls too.
    func run(_ calls: [ToolCall]) async -> [ToolResult] {
        var decided: [(ToolCall, OfferedTool?, ToolResult?)] = []
        for call in calls {
            guard !Task.isCancelled else {
                decided.append((call, nil, Self.failed(call, "the reply was stopped before it ran (Ctrl-C)")))
                continue
            }
            guard let tool = catalog.tool(named: call.name) else {
                decided.append((call, nil, Self.failed(call, "no tool named \(call.name) was offered")))
                continue
            }
            switch consent.verdict(server: tool.server, tool: tool.tool, trusted: tool.trusted, canAsk: canAsk) {
            case .run:
                decided.append((call, tool, nil))
            case .refuse(let reason):
                decided.append((call, tool, Self.failed(call, reason)))
            case .ask:
                let answer = await TerminalQuestion.consent(server: tool.server, tool: tool.tool, call.arguments)
                let runs = consent.record(answer, server: tool.server, tool: tool.tool)
                decided.append((call, tool, runs ? nil : Self.failed(call, ToolConsent.refusal(tool.tool))))
            }
        }
        return await withTaskGroup(of: (Int, ToolResult).self) { group in
            for (index, (call, tool, refused)) in decided.enumerated() {
                if let refused {
                    group.addTask { (index, refused) }
                } else if let tool {
                    group.addTask { [servers] in (index, await servers.run(ToolInvocation(call: call, tool: tool))) }
                }
            }
            var results: [(Int, ToolResult)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    func shutdown() async {
        await servers.shutdown()
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
        // Ctrl-C meanwhile refuses: the read cannot be interrupted, so whichever comes first of
        // the answer and the cancel resumes the question (the reading thread ends with the process).
        let answered = Mutex<CheckedContinuation<String?, Never>?>(nil)
        let line = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
                answered.withLock { $0 = continuation }
                if Task.isCancelled { answered.withLock { $0.take() }?.resume(returning: nil) }
                Thread.detachNewThread {
                    let line = readLine(fromTerminal: ())
                    answered.withLock { $0.take() }?.resume(returning: line)
                }
            }
        } onCancel: {
            answered.withLock { $0.take() }?.resume(returning: nil)
        }
        switch line?.trimmed.lowercased() {
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
