import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// Compare in the real app: two models of a local server answer one message side by side, from
/// two different recorded streams; one is picked and the conversation goes on from it.
@Suite("Compare, in a terminal", .enabled(if: Tmux.isInstalled, "tmux is not installed"), .serialized)
struct AppCompareInTmuxTests {
    @Test(
        "two models marked in the picker: both columns grow at once; p picks one, and the next message goes on from it")
    func compareThenPick() async throws {
        let alpha = try Fixtures.stream("openai-chat/gpt-5-nano-text-no-usage-chunk.sse")
        let beta = try Fixtures.stream("groq/gpt-oss-120b-reasoning-text-x_groq-usage.sse")
        let alphaHeld = Gate()
        let betaHeld = Gate()
        let server = try await TestServer.start { request in
            switch request.target {
            case "/v1/models": return .whole(#"{"data":[{"id":"alpha"},{"id":"beta"}]}"#)
            case "/v1/chat/completions":
                // The message after the comparison gets a reply of its own.
                if String(decoding: request.body, as: UTF8.self).contains("And then?") {
                    return .replay(StreamBodies.openAIChat(["Going on ", "from beta."]))
                }
                let model = (try? JSON.parse(request.body))?["model"]?.string
                return model == "alpha"
                    ? .replay(alpha, pause: .zero).held(at: [0.5], by: [alphaHeld])
                    : .replay(beta, pause: .zero).held(at: [0.6], by: [betaHeld])
            default: return .whole("{}", status: 404)
            }
        }
        defer {
            alphaHeld.open()
            betaHeld.open()
            Task { try await server.shutdown() }
        }
        let home = try ConfigHome(ConfigHome.patientTimeouts).folder
        let tmux = try Tmux(
            width: 160, height: 40,
            command: AppInTmuxTests.command(
                ["--provider", "openai", "--base-url", server.baseURL + "/v1", "--model", "alpha"], home: home,
                extra: ["OPENAI_API_KEY": "test-key"]))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }

        try tmux.press("C-p")
        try await tmux.waitFor("the server's models in the picker") { $0.contains("beta") && $0.contains("● alpha") }
        try tmux.type("alpha")
        try tmux.press("C-Space")
        try tmux.press("C-u")
        try tmux.type("beta")
        try tmux.press("C-Space")
        try await tmux.waitFor("both marked") { $0.contains("2 marked · Enter compares them") }
        try tmux.press("Enter")
        try await tmux.waitFor("the next message's models said") {
            $0.contains("Your next message goes to 2 models at once: alpha, beta.")
        }
        try tmux.type("Say hi")
        try tmux.press("Enter")
        let growing = try await tmux.waitFor("both columns streaming at once") {
            // Each column is headed by the model its server says it is.
            $0.components(separatedBy: "· OpenAI · streaming").count == 3 && $0.contains("Hi there!")
                && $0.contains("Thinking…")
        }
        #expect(growing.contains("you Say hi"))

        alphaHeld.open()
        betaHeld.open()
        try await tmux.waitFor("both replies whole") {
            $0.contains("curious") && $0.contains("The tool returned the expected result") && !$0.contains("streaming")
        }
        try tmux.press("BTab", "]")
        try tmux.press("p")
        try await tmux.waitFor("the conversation going on with beta") {
            // beta's reply alone on the path, alpha's a branch beside it; the conversation beta's now.
            $0.contains("beta · OpenAI · Σ") && $0.contains("/2 ▶") && !$0.contains("Hi there!")
        }
        try tmux.type("And then?")
        try tmux.press("Enter")
        // Ended, so quitting does not ask first about a reply still streaming.
        try await tmux.waitFor("the next reply, from beta, ended") {
            $0.contains("Going on from beta.") && !$0.contains("streaming")
        }
        let replies = server.requests.filter { $0.target == "/v1/chat/completions" }
        #expect(replies.count == 3)
        let last = try JSON.parse(try #require(replies.last).body)
        #expect(last["model"]?.string == "beta")
        let sent = last["messages"]?.array?.compactMap { $0["content"]?.string } ?? []
        #expect(sent.contains("The tool returned the expected result for the valid call."))
        #expect(!sent.contains { $0.contains("Hi there!") })
        try tmux.press("C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }
}
