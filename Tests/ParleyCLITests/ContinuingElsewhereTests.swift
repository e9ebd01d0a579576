import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@Suite("A continued conversation goes back where it talked")
struct ContinuingElsewhereTests {
    let home = ParleyProcess.dataFolder()

    @Test("ask --base-url SERVER, then ask --conversation ID: the transcript and the key go to SERVER only")
    func continuesAtItsBaseURL() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Local ", "answer."])) }
        // Stands in for the public API: where OpenAI requests go when nothing says otherwise.
        let publicAPI = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Public."])) }
        let environment = [
            "PARLEY_HOME": home, "OPENAI_API_KEY": "sk-test-key", "OPENAI_BASE_URL": publicAPI.baseURL + "/v1",
        ]
        let first = try await ParleyProcess.run(
            ["ask", "--base-url", server.baseURL + "/v1", "A private question"], environment: environment)
        let id = try #require(
            try await ParleyProcess.run(["list"], environment: environment).stdout.split(separator: " ").first.map(
                String.init))
        let second = try await ParleyProcess.run(
            ["ask", "--conversation", id, "A follow-up"], environment: environment)
        let shown = try await ParleyProcess.run(["show", id], environment: environment)
        let exported = try await ParleyProcess.run(["export", id, "--format", "json"], environment: environment)
        try await server.shutdown()
        try await publicAPI.shutdown()

        #expect(first.status == 0)
        #expect(second.status == 0)
        #expect(publicAPI.requests.isEmpty, "nothing of the conversation reached another server")
        // (The first ask also asked the server for its model: it was named by its address alone.)
        #expect(server.requests.filter { $0.target.hasSuffix("/chat/completions") }.count == 2)
        let sent = try JSON.parse(try #require(server.requests.last).body)["messages"]?.array?.compactMap {
            $0["content"]?.string
        }
        #expect(sent == ["A private question", "Local answer.", "A follow-up"])
        #expect(shown.stdout.contains(server.baseURL + "/v1"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
        #expect(object["base_url"] as? String == server.baseURL + "/v1")
    }

    @Test(
        "--base-url when continuing is the user's explicit choice: the turn goes there, and the conversation stays there"
    )
    func explicitlyElsewhere() async throws {
        let first = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["One."])) }
        let second = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Two."])) }
        let environment = ["PARLEY_HOME": home, "OPENAI_API_KEY": "sk-test-key"]
        #expect(
            try await ParleyProcess.run(
                ["ask", "--base-url", first.baseURL + "/v1", "Hello"], environment: environment
            )
            .status == 0)
        let id = try #require(
            try await ParleyProcess.run(["list"], environment: environment).stdout.split(separator: " ").first.map(
                String.init))
        let moved = try await ParleyProcess.run(
            ["ask", "--conversation", id, "--base-url", second.baseURL + "/v1", "Again"], environment: environment)
        let again = try await ParleyProcess.run(["ask", "--conversation", id, "Once more"], environment: environment)
        try await first.shutdown()
        try await second.shutdown()

        #expect(moved.status == 0)
        #expect(again.status == 0)
        #expect(first.requests.filter { $0.target.hasSuffix("/chat/completions") }.count == 1)
        #expect(second.requests.filter { $0.target.hasSuffix("/chat/completions") }.count == 2)
    }

    @Test("a server given by --base-url alone is called by its address and answers with its own model")
    func serverByAddress() async throws {
        let server = try await TestServer.start { request in
            request.target == "/v1/models"
                ? .whole(#"{"object":"list","data":[{"id":"qwen3-8b","object":"model"}]}"#)
                : .replay(StreamBodies.openAIChat(["Hi."]))
        }
        let asked = try await ParleyProcess.run(
            ["ask", "--no-save", "--base-url", server.baseURL + "/v1", "Hello"], environment: ["PARLEY_HOME": home])
        try await server.shutdown()
        #expect(asked.status == 0)
        let chat = try #require(server.requests.last { $0.target == "/v1/chat/completions" })
        #expect(try JSON.parse(chat.body)["model"]?.string == "qwen3-8b")
        let address = String(server.baseURL.dropFirst("http://".count))
        #expect(asked.stderr.contains("qwen3-8b · \(address)"), "\(asked.stderr)")
        #expect(!asked.stderr.contains("OpenAI"))
    }

    @Test("a user name and password written into --base-url are not saved with the conversation")
    func noCredentialsSaved() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Hi."])) }
        let environment = ["PARLEY_HOME": home, "OPENAI_API_KEY": "sk-test-key"]
        let withSecret = server.baseURL.replacingOccurrences(of: "http://", with: "http://me:url-secret@") + "/v1"
        let asked = try await ParleyProcess.run(["ask", "--base-url", withSecret, "Hello"], environment: environment)
        let id = try #require(
            try await ParleyProcess.run(["list"], environment: environment).stdout.split(separator: " ").first.map(
                String.init))
        let exported = try await ParleyProcess.run(["export", id, "--format", "json"], environment: environment)
        try await server.shutdown()

        #expect(asked.status == 0)
        #expect(exported.stdout.contains("\"base_url\":\"\(server.baseURL)/v1\""))
        #expect(!exported.stdout.contains("url-secret"))
    }
}
