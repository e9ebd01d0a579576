import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// Tools in the full-screen app, as a person meets them: the call inside the reply, the question
/// in the status bar answered by a key, the result, and the model going on with it.
@Suite("Tools in the full-screen app", .enabled(if: Tmux.isInstalled, "tmux is not installed"), .serialized)
struct AppToolsInTmuxTests {
    @Test("the offline demo asks its clock for the time: the call waits for y, runs, and the answer quotes it")
    func demoClock() async throws {
        let home = ParleyProcess.dataFolder()
        let tmux = try Tmux(
            width: 110, height: 50, command: AppInTmuxTests.command(["--provider", "demo"], home: home))
        try await tmux.waitFor("the first frame, saying how to see a tool round") {
            $0.contains("┌ Conversations") && $0.contains("Ask it the time to see a tool round")
        }
        try tmux.type("What time is it?")
        try tmux.press("Enter")
        let asking = try await tmux.waitFor("the consent question") {
            $0.contains("Run clock (parley)? y once · a always here · n no · Esc stops the reply")
        }
        #expect(asking.contains("⚙ clock · waiting for your consent  {}"))
        #expect(asking.contains("consent?"), "the sidebar says the conversation waits")
        try tmux.type("y")
        // Both rounds over: each reply's header then shows its usage.
        let done = try await tmux.waitFor("the result and the whole answer with it") {
            $0.contains("The clock tool says it is") && $0.components(separatedBy: "(offline) · in ~").count == 3
        }
        #expect(done.contains("tools · 1 result sent back"))
        #expect(done.contains(/✓ clock · 0 ms → \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d UTC/))
        try tmux.press("C-q")
        let after = try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 0"))

        let listed = try await ParleyProcess.run(["list"], environment: ["PARLEY_HOME": home])
        #expect(listed.stdout.contains("4 msgs"), "the question, both rounds and the result between: \(listed.stdout)")
    }

    @Test(
        "against a local server and an MCP server: the call is allowed for the conversation by key, the result goes back, round two answers"
    )
    func localServerAndMCP() async throws {
        let server = try await AskToolsTests.model(calling: "echo", #"{"text":"hello from the tool"}"#)
        defer { Task { try await server.shutdown() } }
        let home = try AskToolsTests.home(server, trust: "ask")
        let tmux = try Tmux(width: 110, height: 50, command: AppInTmuxTests.command([], home: home.folder))
        try await tmux.waitFor("the first frame, with the server's tools listed") {
            $0.contains("┌ Conversations") && $0.contains("Tools offered to the model: ") && $0.contains("echo")
        }
        try tmux.type("Use echo")
        try tmux.press("Enter")
        let asking = try await tmux.waitFor("the consent question") {
            $0.contains("Run echo (fake)? y once · a always here · n no")
        }
        #expect(asking.contains(#"⚙ echo · waiting for your consent  {"text":"hello from the tool"}"#))
        try tmux.type("q")
        try await tmux.waitFor("a stray key answered with the keys, not typed") {
            $0.contains("y once · a always here · n no · Esc stops the reply") && !$0.contains("> q")
        }
        try tmux.type("a")
        // Round two over (its header then shows its usage and duration): a message typed before
        // that would be refused, the reply still going on.
        let done = try await tmux.waitFor("the result and round two's whole answer") {
            $0.contains("The tool said: hello from the tool") && $0.contains("OpenAI · in 12 / out 3 tok · ")
        }
        #expect(done.contains("✓ echo · "))
        // The replies' requests: the model's context window may be asked for too, once its key is
        // known, and on a loaded machine that can come before round two ends.
        var replies: [RecordedRequest] { server.requests.filter { $0.target == "/v1/chat/completions" } }
        #expect(replies.count == 2)
        let second = try JSON.parse(try #require(replies.last).body)
        #expect(second["messages"]?.array?.last?["content"] == "hello from the tool")

        // Allowed for the conversation: the next call of echo runs without asking.
        try tmux.type("Again")
        try tmux.press("Enter")
        try await tmux.waitFor("the second call run without a question, and its answer whole") {
            $0.components(separatedBy: "The tool said: hello from the tool").count == 3
                && $0.components(separatedBy: "OpenAI · in 12 / out 3 tok · ").count == 3
        }
        #expect(replies.count == 4)
        try tmux.press("C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }
}
