import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("Retrying a reply that failed before showing anything", .timeLimit(.minutes(10)))
struct TransportRetryTests {
    static let rateLimited =
        #"{"error":{"message":"Rate limit reached for gpt-4o-mini.","type":"requests","code":"rate_limit_exceeded"}}"#
    static let serverError =
        #"{"error":{"message":"The server had an error processing your request.","type":"server_error"}}"#
    static let reply = StreamBodies.openAIChat(["Paris", " is the capital."])

    @Test("429 with Retry-After: 1 is tried again after a second, and then the reply arrives")
    func rateLimitedThenSucceeds() async throws {
        let server = try await TestServer.start { request in
            request.number == 1
                ? .whole(Self.rateLimited, status: 429, headers: [HTTPHeader("Retry-After", "1")])
                : .replay(Self.reply)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let updates = await quickTransport(maxDelay: .milliseconds(500)).stream(
            chatRequest(to: server), decoder: openAIDecoder(), target: openAI
        )
        .collect()
        let elapsed = started.duration(to: clock.now)
        try await server.shutdown()

        let retry = try #require(updates.retries.first)
        #expect(updates.retries.count == 1)
        #expect(retry.error.kind == .rateLimited)
        #expect(retry.error.retryAfter == 1)
        #expect(retry.attempt == 1)
        #expect(retry.delay == .seconds(1))
        #expect(elapsed >= .seconds(1))
        #expect(updates.text == "Paris is the capital.")
        #expect(updates.error == nil)
        #expect(updates.events.first == .start(model: "test-model"), "the failed try's events were discarded")
        #expect(updates.finalMetrics?.attempts == 2)
        #expect(server.requests.count == 2)
    }

    @Test("429 asking to wait an hour is not retried; the error says how long to wait")
    func rateLimitedForAnHour() async throws {
        let server = try await TestServer.start { _ in
            .whole(Self.rateLimited, status: 429, headers: [HTTPHeader("Retry-After", "3600")])
        }
        let updates = await quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        let error = try #require(updates.error)
        #expect(error.kind == .rateLimited)
        #expect(error.retryAfter == 3600)
        #expect(error.message == "429 from OpenAI: Rate limit reached for gpt-4o-mini.")
        #expect(updates.retries.isEmpty)
        #expect(server.requests.count == 1)
    }

    @Test("Retry-After given as an HTTP date counts from now")
    func retryAfterDate() async throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let inTwoHours = formatter.string(from: Date().addingTimeInterval(7200))
        let server = try await TestServer.start { _ in
            .whole(Self.rateLimited, status: 429, headers: [HTTPHeader("Retry-After", inTwoHours)])
        }
        let updates = await quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        let retryAfter = try #require(updates.error?.retryAfter)
        #expect(retryAfter > 7100 && retryAfter <= 7200)
    }

    @Test("two server errors, then the reply on the third try")
    func serverErrorsThenSucceeds() async throws {
        let server = try await TestServer.start { request in
            request.number <= 2 ? .whole(Self.serverError, status: 500) : .replay(Self.reply)
        }
        let updates = await quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        #expect(updates.retries.map(\.attempt) == [1, 2])
        #expect(updates.retries.allSatisfy { $0.error.kind == .server && $0.error.status == 500 })
        #expect(updates.text == "Paris is the capital.")
        #expect(updates.stop?.kind == .endTurn)
        #expect(updates.error == nil)
        #expect(updates.finalMetrics?.attempts == 3)
        #expect(server.requests.count == 3)
    }

    @Test("three server errors: the reply fails with the last one after three tries")
    func serverErrorsThrice() async throws {
        let server = try await TestServer.start { _ in .whole(Self.serverError, status: 500) }
        let updates = await quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        let error = try #require(updates.error)
        #expect(error.kind == .server)
        #expect(error.message == "500 from OpenAI: The server had an error processing your request.")
        #expect(updates.retries.count == 2)
        #expect(updates.finalMetrics?.attempts == 3)
        #expect(server.requests.count == 3)
        #expect(updates.events.filter { if case .start = $0 { true } else { false } }.count == 1)
        #expect(updates.stop?.kind == .error)
    }

    @Test("a 200 stream whose first event is an overloaded error is tried again")
    func overloadedEventThenSucceeds() async throws {
        let overloaded = Array(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"
                .utf8)
        let server = try await TestServer.start { request in
            request.number == 1 ? .replay(overloaded) : .replay(Self.reply)
        }
        let updates = await quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        let retry = try #require(updates.retries.first)
        #expect(retry.error.kind == .overloaded)
        #expect(updates.text == "Paris is the capital.")
        #expect(updates.error == nil)
        #expect(server.requests.count == 2)
    }

    @Test("an error after text was shown is not retried: the text stays and the error follows it")
    func errorAfterTextNotRetried() async throws {
        let overloaded = Array(
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"
                .utf8)
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChatDelta("Par") + overloaded) }
        let updates = await quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        #expect(updates.retries.isEmpty)
        #expect(updates.text == "Par")
        #expect(updates.error?.kind == .overloaded)
        #expect(server.requests.count == 1)
    }

    @Test("backoff doubles from the base delay up to the maximum, with jitter between half and all of it")
    func backoffDelays() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(500), maxDelay: .seconds(8))
        let failure = ProviderError(.server, "500", status: 500)
        #expect(policy.delay(after: 1, failure: failure, jitter: 1) == .milliseconds(500))
        #expect(policy.delay(after: 1, failure: failure, jitter: 0) == .milliseconds(250))
        #expect(policy.delay(after: 3, failure: failure, jitter: 1) == .seconds(2))
        #expect(policy.delay(after: 5, failure: failure, jitter: 1) == .seconds(8))
        #expect(policy.delay(after: 6, failure: failure, jitter: 1) == nil, "six tries were allowed")
    }

    @Test("Retry-After is a minimum wait, and one beyond four times the maximum delay is not waited for")
    func retryAfterRules() {
        let policy = RetryPolicy()
        let soon = ProviderError(.rateLimited, "429", status: 429, retryAfter: 2)
        let later = ProviderError(.rateLimited, "429", status: 429, retryAfter: 32)
        let tooLate = ProviderError(.rateLimited, "429", status: 429, retryAfter: 33)
        #expect(policy.delay(after: 1, failure: soon, jitter: 1) == .seconds(2))
        #expect(policy.delay(after: 1, failure: later, jitter: 0) == .seconds(32))
        #expect(policy.delay(after: 1, failure: tooLate, jitter: 0) == nil)
    }

    @Test(
        "failures that another try cannot fix are never retried",
        arguments: [
            ProviderError.Kind.auth, .invalidRequest, .notFound, .timeout, .protocol, .cancelled, .provider,
        ])
    func neverRetried(kind: ProviderError.Kind) {
        #expect(RetryPolicy().delay(after: 1, failure: ProviderError(kind, "no"), jitter: 0.5) == nil)
    }
}
