import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// Servers and proxies that compress their answers unasked (`Content-Encoding: gzip` or
/// `deflate`): replies, model lists and error bodies are read all the same, a stream still
/// piece by piece, and a body that inflates without end is stopped.
@Suite("Compressed bodies", .timeLimit(.minutes(10)))
struct TransportCompressionTests {
    static let compressions: [TestServer.Compression] = [.gzip, .deflate]

    @Test("a compressed stream sent in pieces gives exactly the events of the plain one", arguments: compressions)
    func compressedStream(_ compression: TestServer.Compression) async throws {
        let body = try Fixtures.stream("openai-chat/gpt-4o-mini-tool-call-include-usage.sse")
        try await TestServer.serving(compressing: compression, { _ in .replay(body, pieces: 1...64) }) { server in
            let updates = await replyUpdates(from: server)
            #expect(updates.events == decodeReply(body, format: .openAIChat, provider: "OpenAI"))
            #expect(server.requests.count == 1)
        }
    }

    @Test("a reply asks for no compression: a compressing server would hold deltas back")
    func asksForIdentity() async throws {
        try await TestServer.serving({ _ in .replay(StreamBodies.openAIChat(["Hi"])) }) { server in
            _ = await replyUpdates(from: server)
            #expect(server.requests.first?.header("Accept-Encoding") == "identity")
        }
    }

    @Test(
        "a compressed stream's first delta is shown while the server still holds the rest back", arguments: compressions
    )
    func incremental(_ compression: TestServer.Compression) async throws {
        let rest = Gate()
        try await TestServer.serving(
            compressing: compression,
            { _ in
                ScriptedResponse(
                    headers: [HTTPHeader("Content-Type", "text/event-stream")],
                    body: [
                        .bytes(StreamBodies.openAIChatDelta("First")), .wait(rest),
                        .bytes(StreamBodies.openAIChatDelta(" second") + StreamBodies.openAIChatEnd()),
                    ])
            }
        ) { server in
            let reply = quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
                .buffered()
            var updates: [ReplyUpdate] = []
            var iterator = reply.updates.makeAsyncIterator()
            while updates.text.isEmpty, let update = await iterator.next() { updates.append(update) }
            #expect(updates.text == "First")
            rest.open()
            while let update = await iterator.next() { updates.append(update) }
            #expect(updates.text == "First second")
            #expect(updates.stop?.kind == .endTurn)
        }
    }

    @Test("a compressed body that inflates past 64 MiB is a protocol error, and the rest is not read")
    func overTheLimit() async throws {
        // 65 MiB of comment lines in about 100 KiB, sent in pieces.
        var bomb = ScriptedResponse.replay(GzipBomb.commentLines(inflatingTo: 65 << 20), pieces: 8192...8192)
        bomb.headers.append(HTTPHeader("Content-Encoding", "gzip"))
        let response = bomb
        try await TestServer.serving({ _ in response }) { server in
            let updates = await replyUpdates(from: server)
            #expect(
                updates.error
                    == ProviderError(
                        .protocol, "127.0.0.1:\(server.port) sent a compressed body that inflates to more than 64 MiB"))
            #expect(server.requests.count == 1)
        }
    }

    @Test("a compressed model list and a compressed error body are read", arguments: compressions)
    func modelListAndError(_ compression: TestServer.Compression) async throws {
        try await TestServer.serving(
            compressing: compression,
            { request in
                request.target == "/v1/models"
                    ? .whole(#"{"data":[{"id":"gpt-4o"},{"id":"gpt-4.1-mini"}]}"#)
                    : .whole(
                        #"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error"}}"#,
                        status: 401)
            }
        ) { server in
            let choice = try ModelsEndpoint.all[0].choice(server)
            #expect(try await listModels(choice).models == ["gpt-4.1-mini", "gpt-4o"])
            let updates = await replyUpdates(from: server)
            #expect(updates.error?.message == "401 from OpenAI: Incorrect API key provided. Check OPENAI_API_KEY.")
        }
    }
}
