/// A conversation's reply while it may still call tools: its rounds (`ToolRounds`), and once a
/// round asks for tools, each call on its way from the user's consent to its result.
public struct ToolLoop: Equatable, Sendable {
    var rounds: ToolRounds
    /// The calls of the round that asked for them, in the model's order; empty while a round streams.
    public internal(set) var calls: [ToolCallRun] = []

    init(_ rounds: ToolRounds) {
        self.rounds = rounds
    }

    /// The first call waiting for the user's answer.
    public var awaitingConsent: ToolCallRun? {
        calls.first { $0.status == .waitingForConsent }
    }

    public var isRunningTools: Bool {
        calls.contains { if case .running = $0.status { true } else { false } }
    }

    /// Every call has its result: the next round can begin.
    var isAnswered: Bool {
        !calls.isEmpty && calls.allSatisfy { $0.result != nil }
    }

    /// One result per call, in the calls' order.
    public var results: [ToolResult] { calls.compactMap(\.result) }
}

/// One call of a round and how far it has come.
public struct ToolCallRun: Equatable, Sendable {
    public enum Status: Equatable, Sendable {
        case waitingForConsent
        /// Allowed; it runs once no call of its round waits for an answer (calls run together).
        case allowed
        case running(since: Timestamp)
        /// It ran, failed or was refused (`ToolResult.isError`): what goes back to the model.
        case finished(ToolResult)
    }

    public var call: ToolCall
    /// Nil when the model named a tool that was not offered.
    public var tool: OfferedTool?
    public var status: Status

    public init(call: ToolCall, tool: OfferedTool?, status: Status) {
        self.call = call
        self.tool = tool
        self.status = status
    }

    public var result: ToolResult? {
        if case .finished(let result) = status { result } else { nil }
    }
}

/// A call to run, and the tool it names.
public struct ToolInvocation: Equatable, Sendable {
    public var call: ToolCall
    public var tool: OfferedTool

    public init(call: ToolCall, tool: OfferedTool) {
        self.call = call
        self.tool = tool
    }
}
