import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("Cancelling a reply", .timeLimit(.minutes(10)))
struct TransportCancelTests {
    /// A reply that writes a little text and then waits forever.
    static func stalledReply() async throws -> TestServer {
        try await TestServer.start { _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [.bytes(StreamBodies.openAIChatDelta("Once upon")), .stall])
        }
    }

    @Test("cancel mid-reply: the text so far is kept, the reply ends cancelled, and the server sees the socket close")
    func cancelMidStream() async throws {
        let server = try await Self.stalledReply()
        let reply = quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .buffered()

        var updates: [ReplyUpdate] = []
        for await update in reply.updates {
            updates.append(update)
            if case .event(.text) = update { reply.cancel() }
        }

        #expect(updates.text == "Once upon")
        #expect(updates.error == nil)
        #expect(updates.stop == StopReason(.cancelled))
        let tail = updates.suffix(3)
        guard case .event(.usage) = tail.first, case .finished = tail.last else {
            Issue.record("the reply should end with usage, stop and finished, not \(tail)")
            return
        }
        #expect(await server.waitForConnectionsClosed(1))
        try await server.shutdown()
    }

    @Test("a consumer whose task is cancelled cancels the reply and closes the connection")
    func consumerCancelled() async throws {
        let server = try await Self.stalledReply()
        let reply = quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .buffered()
        let (shown, showing) = AsyncStream.makeStream(of: Void.self)
        let consumer = Task {
            for await update in reply.updates {
                if case .event(.text) = update { showing.yield() }
            }
        }
        for await _ in shown { break }
        consumer.cancel()

        #expect(await server.waitForConnectionsClosed(1))
        try await server.shutdown()
    }

    @Test("a consumer that lets go of the reply cancels it and closes the connection")
    func consumerLetsGo() async throws {
        let server = try await Self.stalledReply()
        func listenUntilText() async {
            let reply = quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
                .buffered()
            for await update in reply.updates {
                if case .event(.text) = update { return }
            }
        }
        await listenUntilText()

        #expect(await server.waitForConnectionsClosed(1))
        try await server.shutdown()
    }

    @Test("cancel while waiting to retry: no more tries, and the reply ends cancelled")
    func cancelDuringBackoff() async throws {
        let server = try await TestServer.start { _ in
            .whole(TransportRetryTests.serverError, status: 503, headers: [HTTPHeader("Retry-After", "30")])
        }
        let transport = ProviderTransport(retry: RetryPolicy(maxAttempts: 3, maxDelay: .seconds(10)))
        let reply = transport.stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI).buffered()

        var updates: [ReplyUpdate] = []
        for await update in reply.updates {
            updates.append(update)
            if case .retrying = update { reply.cancel() }
        }
        try await server.shutdown()

        #expect(updates.retries.count == 1)
        #expect(updates.stop == StopReason(.cancelled))
        #expect(updates.finalMetrics != nil)
        #expect(server.requests.count == 1)
    }

    @Test("cancel before the request is sent ends the reply cancelled without waiting for the server")
    func cancelAtOnce() async throws {
        let server = try await TestServer.start { _ in ScriptedResponse(body: [.stall]) }
        let reply = quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .buffered()
        reply.cancel()
        let updates = await reply.collect()
        try await server.shutdown()

        #expect(updates.events == [.start(model: nil), .usage(Usage(estimated: true)), .stop(StopReason(.cancelled))])
        #expect(updates.finalMetrics != nil)
    }
}
