import ParleyCore
import ParleyProviders
import ParleyStreaming
import Synchronization

/// One `parley ask` reply, round by round: each round streams as a session of the service and is
/// printed and saved as it comes; a round that asks for tools has them run (`runTools`) and the
/// next round goes on with their results, until the model answers or the rounds run out.
struct AskReply {
    let choice: ProviderChoice
    let transport: ProviderTransport
    let service: StreamingService
    var turn: AskTurn
    var printer: AskPrinter
    var rounds: ToolRounds
    /// Runs a round's calls and returns one result per call, in the calls' order; nil when no
    /// tools were offered.
    let runTools: (@Sendable ([ToolCall]) async -> [ToolResult])?
    /// The text of the whole reply, for `--json`'s check.
    private(set) var text = ""
    let collectsText: Bool

    /// Streams every round; returns once the reply is over and its footer shown.
    mutating func run(interrupted: Interruption) async {
        var metrics: SessionMetrics?
        while true {
            printer.beginRound(rounds.round)
            let reply = choice.startReply(rounds.request, transport: transport)
            service.start(turn.sessionID, conversation: turn.conversationID, reply: reply) { error, attempt, delay in
                Console.error(AskPrinter.retryNotice(error, attempt: attempt, delay: delay))
            }
            interrupted.following(service, turn.sessionID)
            let (end, stop) = await stream()
            metrics = metrics?.followedBy(end.metrics) ?? end.metrics
            let next: ToolRounds.Next =
                if case .finished = end.outcome, let stop, runTools != nil, !interrupted.happened {
                    rounds.roundEnded(stop)
                } else {
                    .finished
                }
            switch next {
            case .runTools(let calls):
                await turn.ended(end, in: turn.sessionID)
                let running = Task { [runTools] in await runTools?(calls) ?? [] }
                interrupted.stopping { running.cancel() }
                let ran = await running.value
                for result in ran { printer.showToolResult(result) }
                printer.endRound(rounds.round, reason: stop)
                if interrupted.happened {
                    printer.show(.stop(StopReason(.cancelled)))
                    return finish(metrics)
                }
                await turn.answered(ran, request: rounds.answered(ran))
            case .roundLimitReached(let limit):
                printer.endRound(rounds.round, reason: stop)
                printer.show(
                    .error(
                        ProviderError(
                            .invalidRequest,
                            "the model asked for tools again after \(limit) rounds; the reply stops here "
                                + "(--max-rounds sets the limit)")))
                if let stop { printer.show(.stop(stop)) }
                await turn.ended(end, in: turn.sessionID)
                return finish(metrics)
            case .finished:
                printer.endRound(rounds.round, reason: stop)
                if let stop { printer.show(.stop(stop)) }
                await turn.ended(end, in: turn.sessionID)
                return finish(metrics)
            }
        }
    }

    /// One round's session, printed and kept as it streams; returns its end and its stop reason.
    private mutating func stream() async -> (SessionEnd, StopReason?) {
        // The stop is shown with the session's end, which may say why the reply stopped.
        var heldStop: StopReason?
        for await update in service.updates {
            switch update {
            case .batch(_, let batch):
                rounds.record(batch.events)
                for event in batch.events {
                    if case .stop(let reason) = event {
                        heldStop = reason
                        continue
                    }
                    printer.show(event)
                    if collectsText, case .text(let more) = event { text += more }
                }
                await turn.received(batch, in: turn.sessionID)
            case .ended(_, let end):
                return (end, Self.stop(heldStop, endedBy: end, printer: &printer))
            }
        }
        return (SessionEnd(outcome: .cancelled, metrics: SessionMetrics()), heldStop)
    }

    /// The stop to show for a session that ended with `end`: [timeouts] total and [streaming]
    /// max_reply_mb stop the reply as a cancel would, but it is their error, not Ctrl-C.
    static func stop(_ held: StopReason?, endedBy end: SessionEnd, printer: inout AskPrinter) -> StopReason? {
        guard held?.kind == .cancelled else { return held }
        switch end.outcome {
        case .timedOut(let error), .failed(let error):
            printer.show(.error(error))
            return StopReason(.error)
        case .finished, .cancelled:
            return held
        }
    }

    private mutating func finish(_ metrics: SessionMetrics?) {
        if let problem = turn.notSavedBecause {
            Console.error("warning: this turn was not saved: \(problem)\n")
        }
        if turn.notSavedBecause != nil || turn.deletedElsewhere { printer.savedAs = nil }
        if let error = printer.error {
            ReplyLog.failed(error, provider: choice.preset.name, model: choice.model)
        }
        printer.finish(metrics ?? SessionMetrics())
    }
}

/// Ctrl-C during a reply: it stops what runs now (the round streaming, or its tool calls and
/// the question about them), and no further round begins.
final class Interruption: Sendable {
    private struct State {
        var happened = false
        var stop: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    var happened: Bool { state.withLock { $0.happened } }

    /// The round now streaming, which a Ctrl-C from now on stops.
    func following(_ service: StreamingService, _ session: SessionID) {
        stopping { service.cancel(session) }
    }

    /// What a Ctrl-C from now on stops (at once, if one came already).
    func stopping(_ stop: @escaping @Sendable () -> Void) {
        let stopNow = state.withLock { state in
            state.stop = stop
            return state.happened
        }
        if stopNow { stop() }
    }

    func interrupt() {
        let stop = state.withLock { state in
            state.happened = true
            return state.stop
        }
        stop?()
    }
}
