/// The app's tool loop: a reply whose round ends asking for tools has each call asked about
/// (unless trusted or allowed for the conversation), runs the allowed ones together, and once
/// every call has a result the next round begins (`answerableToolRounds`, answered by the app with
/// new ids). Esc at any point ends the reply: no call left runs, and no round follows.
extension ChatState {
    /// Conversations whose round has every result: each waits for `toolRoundAnswered` (request
    /// nil), which needs new ids the reducer does not make.
    public var answerableToolRounds: [ConversationID] {
        toolLoops.filter { $0.value.isAnswered }.keys.sorted()
    }

    /// What the request to `provider` offers, and the loop that follows its rounds when it offers any.
    mutating func offerTools(in request: inout ChatRequest, provider: String, for id: ConversationID) {
        request.tools = toolsRefused.contains(id) ? [] : tools.definitions(for: provider)
        toolLoops[id] = request.tools.isEmpty ? nil : ToolLoop(ToolRounds(request, maxRounds: maxToolRounds))
    }

    /// A round ended: when it asks for tools, each call is allowed or asked about, and those that
    /// may run start; otherwise the loop is over.
    mutating func roundEnded(_ reply: Message, in id: ConversationID, now: Timestamp) -> [ChatEffect] {
        guard let loop = toolLoops.removeValue(forKey: id) else { return [] }
        // The model would not take tools: say so once, and send its next replies here without.
        if reply.status == .failed, let error = reply.error, error.refusesTools, loop.rounds.round == 1 {
            toolsRefused.insert(id)
            notice = .toolsRefused(model: reply.model ?? "", error)
            return []
        }
        guard reply.status == .complete, let stop = reply.stopReason else { return [] }
        switch loop.rounds.roundEnded(stop) {
        case .finished:
            return []
        case .roundLimitReached(let limit):
            notice = .toolRoundLimitReached(limit)
            return []
        case .runTools(let calls):
            let consent = toolConsents[id] ?? ToolConsent()
            var planned = loop
            planned.calls = calls.map { call in
                guard let tool = tools.tool(named: call.name) else {
                    let reason = "no tool named \(call.name) was offered; nothing was run"
                    return ToolCallRun(
                        call: call, tool: nil,
                        status: .finished(ToolResult(callID: call.id, name: call.name, content: reason, isError: true)))
                }
                let verdict = consent.verdict(server: tool.server, tool: tool.tool, trusted: tool.trusted, canAsk: true)
                return ToolCallRun(call: call, tool: tool, status: verdict == .run ? .allowed : .waitingForConsent)
            }
            toolLoops[id] = planned
            return runAllowed(in: id, now: now)
        }
    }

    mutating func consent(_ answer: ToolConsent.Answer, to callID: String, in id: ConversationID, now: Timestamp)
        -> [ChatEffect]
    {
        guard var loop = toolLoops[id], let index = loop.calls.firstIndex(where: { $0.call.id == callID }),
            loop.calls[index].status == .waitingForConsent, let tool = loop.calls[index].tool
        else { return [] }
        var consent = toolConsents[id] ?? ToolConsent()
        let runs = consent.record(answer, server: tool.server, tool: tool.tool)
        toolConsents[id] = consent
        let call = loop.calls[index].call
        loop.calls[index].status =
            runs
            ? .allowed
            : .finished(
                ToolResult(callID: call.id, name: call.name, content: ToolConsent.refusal(tool.tool), isError: true))
        // Allowed for the conversation: the round's other calls of that tool need no question.
        for other in loop.calls.indices where loop.calls[other].status == .waitingForConsent {
            if let waiting = loop.calls[other].tool, waiting == tool, answer == .forConversation {
                loop.calls[other].status = .allowed
            }
        }
        toolLoops[id] = loop
        return runAllowed(in: id, now: now)
    }

    mutating func toolFinished(_ result: ToolResult, in id: ConversationID) -> [ChatEffect] {
        guard let index = toolLoops[id]?.calls.firstIndex(where: { $0.call.id == result.callID }),
            case .running = toolLoops[id]!.calls[index].status
        else { return [] }
        toolLoops[id]!.calls[index].status = .finished(result)
        return []
    }

    /// Esc while the round's calls are asked about or run: they stop, and the reply ends with the
    /// round (its calls stay in the transcript, unanswered, and are not sent to the model again).
    mutating func cancelTools(in id: ConversationID) -> [ChatEffect] {
        guard let loop = toolLoops[id], !loop.calls.isEmpty else { return [] }
        toolLoops[id] = nil
        return loop.isRunningTools ? [.cancelTools(id)] : []
    }

    /// Once no call waits for an answer, the allowed ones start, together.
    private mutating func runAllowed(in id: ConversationID, now: Timestamp) -> [ChatEffect] {
        guard var loop = toolLoops[id], loop.awaitingConsent == nil else { return [] }
        var invocations: [ToolInvocation] = []
        for index in loop.calls.indices where loop.calls[index].status == .allowed {
            guard let tool = loop.calls[index].tool else { continue }
            loop.calls[index].status = .running(since: now)
            invocations.append(ToolInvocation(call: loop.calls[index].call, tool: tool))
        }
        toolLoops[id] = loop
        return invocations.isEmpty ? [] : [.runTools(id, invocations)]
    }
}
