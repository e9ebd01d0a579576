import ParleyCore
import ParleyProviders
import ParleyStreaming
import Testing

@Suite("A session's lifecycle")
struct StreamSessionTests {
    typealias State = StreamSession.State
    typealias Event = StreamSession.Event

    /// What an action amounts to, for the table.
    enum Expected: Equatable {
        case none, deliver, deliverAndCancel, cancelReply
        case end(StateName)
    }

    /// States without their payloads.
    enum StateName: Equatable {
        case connecting, streaming, stoppingByCancel, stoppingByLimit, stoppingBySize, finished, failed, cancelled
        case timedOut
    }

    static let failure = ProviderError(.server, "boom", status: 500)
    static let metrics = ReplyMetrics(duration: .seconds(1), chunks: 7, bytes: 900, attempts: 2)

    /// Events that bring a fresh session into each state.
    static let setups: [(StateName, [Event])] = [
        (.connecting, []),
        (.streaming, [.received(.text("Hi"))]),
        (.stoppingByCancel, [.received(.text("Hi")), .cancelRequested]),
        (.stoppingByLimit, [.timeLimitReached(.seconds(30))]),
        (.finished, [.received(.text("Hi")), .replyFinished(metrics)]),
        (.failed, [.received(.error(failure)), .replyFinished(metrics)]),
        (.cancelled, [.cancelRequested, .replyFinished(metrics)]),
        (.timedOut, [.received(.error(ProviderError(.timeout, "stalled"))), .replyFinished(metrics)]),
    ]

    static let events: [(String, Event)] = [
        ("start", .received(.start(model: "m"))),
        ("text", .received(.text("more"))),
        ("error", .received(.error(failure))),
        ("reply finished", .replyFinished(metrics)),
        ("cancel", .cancelRequested),
        ("time limit", .timeLimitReached(.seconds(30))),
    ]

    /// (state, event) → (next state, action), for every pair.
    static let table: [StateName: [String: (StateName, Expected)]] = [
        .connecting: [
            "start": (.connecting, .deliver), "text": (.streaming, .deliver), "error": (.connecting, .deliver),
            "reply finished": (.finished, .end(.finished)), "cancel": (.stoppingByCancel, .cancelReply),
            "time limit": (.stoppingByLimit, .cancelReply),
        ],
        .streaming: [
            "start": (.streaming, .deliver), "text": (.streaming, .deliver), "error": (.streaming, .deliver),
            "reply finished": (.finished, .end(.finished)), "cancel": (.stoppingByCancel, .cancelReply),
            "time limit": (.stoppingByLimit, .cancelReply),
        ],
        .stoppingByCancel: [
            "start": (.stoppingByCancel, .deliver), "text": (.stoppingByCancel, .deliver),
            "error": (.stoppingByCancel, .deliver), "reply finished": (.cancelled, .end(.cancelled)),
            "cancel": (.stoppingByCancel, .none), "time limit": (.stoppingByCancel, .none),
        ],
        .stoppingByLimit: [
            "start": (.stoppingByLimit, .deliver), "text": (.stoppingByLimit, .deliver),
            "error": (.stoppingByLimit, .deliver), "reply finished": (.timedOut, .end(.timedOut)),
            "cancel": (.stoppingByLimit, .none), "time limit": (.stoppingByLimit, .none),
        ],
    ]

    static func name(_ state: State) -> StateName {
        switch state {
        case .connecting: .connecting
        case .streaming: .streaming
        case .stopping(.cancel): .stoppingByCancel
        case .stopping(.timeLimit): .stoppingByLimit
        case .stopping(.sizeLimit): .stoppingBySize
        case .finished: .finished
        case .failed: .failed
        case .cancelled: .cancelled
        case .timedOut: .timedOut
        }
    }

    static func expected(_ action: StreamSession.Action) -> Expected {
        switch action {
        case .none: .none
        case .deliver: .deliver
        case .deliverAndCancel: .deliverAndCancel
        case .cancelReply: .cancelReply
        case .end(let end):
            switch end.outcome {
            case .finished: .end(.finished)
            case .failed: .end(.failed)
            case .cancelled: .end(.cancelled)
            case .timedOut: .end(.timedOut)
            }
        }
    }

    @Test("every (state, event) pair moves to the expected state with the expected action; ended sessions ignore all")
    func everyPair() {
        for (stateName, setup) in Self.setups {
            for (eventName, event) in Self.events {
                var session = StreamSession(id: SessionID("s"), conversationID: ConversationID("c"))
                var elapsed = Duration.zero
                for step in setup {
                    elapsed += .milliseconds(10)
                    _ = session.handle(step, at: elapsed)
                }
                #expect(Self.name(session.state) == stateName, "setting up \(stateName)")
                let action = session.handle(event, at: elapsed + .milliseconds(10))
                let (nextState, nextAction) = Self.table[stateName]?[eventName] ?? (stateName, .none)
                #expect(Self.name(session.state) == nextState, "\(stateName) + \(eventName)")
                #expect(Self.expected(action) == nextAction, "\(stateName) + \(eventName)")
            }
        }
    }

    @Test(
        "a reply that ends with an error fails with that error, a transport timeout times out, a stray cancel stop cancels"
    )
    func outcomes() {
        func end(after events: [StreamEvent]) -> SessionEnd.Outcome? {
            var session = StreamSession(id: SessionID("s"), conversationID: ConversationID("c"))
            for event in events { _ = session.handle(.received(event), at: .zero) }
            guard case .end(let end) = session.handle(.replyFinished(Self.metrics), at: .seconds(1)) else { return nil }
            return end.outcome
        }
        #expect(end(after: [.text("a"), .error(Self.failure), .stop(StopReason(.error))]) == .failed(Self.failure))
        let stalled = ProviderError(.timeout, "the stream stalled")
        #expect(end(after: [.text("a"), .error(stalled)]) == .timedOut(stalled))
        #expect(end(after: [.text("a"), .stop(StopReason(.cancelled))]) == .cancelled)
        #expect(end(after: [.text("a"), .stop(StopReason(.endTurn))]) == .finished)
    }

    @Test("text past the size limit is kept, the reply is stopped, and the session ends failed, naming the limit")
    func sizeLimit() {
        var session = StreamSession(id: SessionID("s"), conversationID: ConversationID("c"), replyLimit: 10)
        #expect(session.handle(.received(.text("0123456789")), at: .zero) == .deliver(.text("0123456789")))
        #expect(session.handle(.received(.thinking("!")), at: .zero) == .deliverAndCancel(.thinking("!")))
        #expect(Self.name(session.state) == .stoppingBySize)
        // The stopped reply winds down through its stream as a cancelled one does; a cancel then is moot.
        #expect(session.handle(.received(.text("more")), at: .zero) == .deliver(.text("more")))
        #expect(session.handle(.cancelRequested, at: .zero) == .none)
        #expect(
            session.handle(.received(.stop(StopReason(.cancelled))), at: .zero)
                == .deliver(.stop(StopReason(.cancelled))))
        guard case .end(let end) = session.handle(.replyFinished(Self.metrics), at: .seconds(1)),
            case .failed(let error) = end.outcome
        else {
            Issue.record("the session should end failed")
            return
        }
        #expect(
            error.message
                == "the reply passed its limit of 10 bytes of text and was stopped there ([streaming] max_reply_mb)")
        #expect(end.metrics.textBytes == 15)
    }

    @Test("the time limit ends the session timed out, naming the limit")
    func timeLimitOutcome() {
        var session = StreamSession(id: SessionID("s"), conversationID: ConversationID("c"))
        _ = session.handle(.timeLimitReached(.seconds(30)), at: .seconds(30))
        guard case .end(let end) = session.handle(.replyFinished(Self.metrics), at: .seconds(30)),
            case .timedOut(let error) = end.outcome
        else {
            Issue.record("the session should end timed out")
            return
        }
        #expect(error.kind == .timeout)
        #expect(error.message.contains("30"))
    }

    @Test(
        "metrics: the reply's time to first token, gaps, text bytes live; the transport's figures and usage at the end")
    func metrics() throws {
        var session = StreamSession(id: SessionID("s"), conversationID: ConversationID("c"))
        _ = session.handle(.received(.start(model: nil)), at: .milliseconds(100))
        // The reply measures it from its own request (a retry's, say), not from the session's start.
        #expect(session.handle(.replyShown(timeToFirstToken: .milliseconds(250)), at: .milliseconds(300)) == .none)
        _ = session.handle(.received(.text("abcd")), at: .milliseconds(300))
        _ = session.handle(.received(.thinking("ef")), at: .milliseconds(320))
        _ = session.handle(.received(.text("gh")), at: .milliseconds(420))
        #expect(session.metrics.timeToFirstToken == .milliseconds(250))
        #expect(session.metrics.textBytes == 8)
        #expect(session.metrics.events == 4)
        #expect(session.metrics.maxGap == .milliseconds(100))
        #expect(session.metrics.gaps.count == 2)
        let estimate = try #require(session.metrics.tokensPerSecond)
        #expect(abs(estimate - 2 / 0.17) < 0.001)

        _ = session.handle(.received(.usage(Usage(inputTokens: 5, outputTokens: 30))), at: .milliseconds(1300))
        guard case .end(let end) = session.handle(.replyFinished(Self.metrics), at: .milliseconds(1300)) else {
            Issue.record("the session should end")
            return
        }
        #expect(end.metrics.bytes == 900)
        #expect(end.metrics.chunks == 7)
        #expect(end.metrics.attempts == 2)
        #expect(end.metrics.timeToFirstToken == .milliseconds(250))
        #expect(end.metrics.duration == .milliseconds(1300))
        let reported = try #require(end.metrics.tokensPerSecond)
        #expect(abs(reported - 30 / 1.05) < 0.001)
    }
}
