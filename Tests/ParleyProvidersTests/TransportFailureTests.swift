import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("A reply that fails shows why", .timeLimit(.minutes(10)))
struct TransportFailureTests {
    @Test("401: an auth error naming the key variable (the key it echoes taken out), not retried")
    func unauthorized() async throws {
        let server = try await TestServer.start { _ in
            .whole(
                #"{"error":{"message":"Incorrect API key provided: sk-test.","type":"invalid_request_error","#
                    + #""code":"invalid_api_key"}}"#, status: 401)
        }
        let updates = await quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        let error = try #require(updates.error)
        #expect(error.kind == .auth)
        #expect(error.status == 401)
        #expect(error.message == "401 from OpenAI: Incorrect API key provided: [redacted]. Check OPENAI_API_KEY.")
        #expect(updates.retries.isEmpty)
        #expect(server.requests.count == 1)
        #expect(updates.events.first == .start(model: nil))
        #expect(updates.stop?.kind == .error)
        #expect(updates.finalMetrics?.attempts == 1)
    }

    @Test("404: not found, naming the model as the provider's message does")
    func modelNotFound() async throws {
        let body = try Fixtures.stream("openai-chat/http-404-model-not-found-error-body.json")
        let server = try await TestServer.start { _ in .whole(String(decoding: body, as: UTF8.self), status: 404) }
        let updates = await quickTransport()
            .stream(chatRequest(to: server, model: "gpt-4.1-nano-wrong"), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        let error = try #require(updates.error)
        #expect(error.kind == .notFound)
        #expect(
            error.message
                == "404 from OpenAI: The model `gpt-4.1-nano-wrong` does not exist or you do not have access to it.")
        #expect(server.requests.count == 1)
    }

    @Test("a proxy's HTML error page becomes a server error with its title, not a page of markup")
    func htmlErrorPage() async throws {
        let page = """
            <html>
            <head><title>502 Bad Gateway</title><style>body { font: 12px sans-serif }</style></head>
            <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>
            </html>
            """
        let server = try await TestServer.start { _ in .whole(page, status: 502, contentType: "text/html") }
        let updates = await quickTransport(maxAttempts: 1)
            .stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI).collect()
        try await server.shutdown()

        let error = try #require(updates.error)
        #expect(error.kind == .server)
        #expect(error.status == 502)
        #expect(error.message == "502 from OpenAI: 502 Bad Gateway")
    }

    @Test("a refused connection is a network error naming host and port, after the retries")
    func connectionRefused() async throws {
        let closed = try ClosedPort()
        defer { closed.close() }
        let request = chatRequest(toBaseURL: closed.baseURL)

        let updates = await quickTransport().stream(request, decoder: openAIDecoder(), target: openAI).collect()

        let error = try #require(updates.error)
        #expect(error.kind == .network)
        #expect(error.message == "could not connect to 127.0.0.1:\(closed.port): connection refused")
        #expect(updates.retries.map(\.attempt) == [1, 2])
        #expect(updates.finalMetrics?.attempts == 3)
        #expect(updates.stop?.kind == .error)
    }

    @Test("a server that hangs up without answering is tried again, then reported")
    func hangUpBeforeAnswering() async throws {
        let server = try await TestServer.start { _ in ScriptedResponse(body: [.drop]) }
        let updates = await quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        let error = try #require(updates.error)
        #expect(error.kind == .network)
        #expect(error.message == "127.0.0.1:\(server.port) closed the connection without answering")
        #expect(updates.retries.count == 2)
        #expect(server.requests.count == 3)
    }

    @Test("https to a server that speaks plain HTTP: a network error naming the server and the TLS failure")
    func tlsToPlainServer() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Paris."])) }
        let plain = chatRequest(to: server)
        let request = ProviderRequest(
            url: plain.url.replacingOccurrences(of: "http://", with: "https://"), headers: plain.headers,
            body: plain.body)
        let updates = await quickTransport(maxAttempts: 1).stream(request, decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        let error = try #require(updates.error)
        #expect(error.kind == .network)
        #expect(error.message == "the secure connection to 127.0.0.1:\(server.port) failed: wrong version number")
    }

    @Test("a URL that is not http or https is refused before any request")
    func notAnHTTPURL() async throws {
        let request = ProviderRequest(url: "ftp://example.com/v1/chat/completions", headers: [], body: [])
        let updates = await quickTransport().stream(request, decoder: openAIDecoder(), target: openAI).collect()

        let error = try #require(updates.error)
        #expect(error.kind == .invalidRequest)
        #expect(error.message.contains("ftp://example.com"))
        #expect(updates.retries.isEmpty)
    }

    @Test("a connection dropped mid-reply is a network error, and the text so far is kept")
    func droppedMidBody() async throws {
        let server = try await TestServer.start { _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [.bytes(StreamBodies.openAIChatDelta("The capital ")), .pause(.milliseconds(20)), .drop])
        }
        let updates = await quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        #expect(updates.text == "The capital ")
        let error = try #require(updates.error)
        #expect(error.kind == .network)
        #expect(error.message.contains("127.0.0.1:\(server.port)"))
        #expect(updates.stop?.kind == .error)
        #expect(updates.retries.isEmpty, "text was shown, so the reply is not tried again")
        #expect(server.requests.count == 1)
    }

    @Test("a body that is not the provider's JSON is a protocol error, and the connection is closed at once")
    func garbageBody() async throws {
        try await TestServer.serving({ _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [.bytes(Array("data: {this is not json\n\n".utf8)), .stall])
        }) { server in
            let updates = await quickTransport().stream(
                chatRequest(to: server), decoder: openAIDecoder(), target: openAI
            )
            .collect()

            let error = try #require(updates.error)
            #expect(error.kind == .protocol)
            #expect(error.message.contains("OpenAI"))
            #expect(updates.stop?.kind == .error)
            #expect(await server.waitForConnectionsClosed(1), "the stalled server is not left holding the connection")
        }
    }
}
