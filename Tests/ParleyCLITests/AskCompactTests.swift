import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// `parley ask --conversation ID --compact`: the model summarizes the saved conversation, and
/// later turns are sent the summary in place of the turns before it, which stay saved.
@Suite("ask: compacting a saved conversation", .timeLimit(.minutes(10)))
struct AskCompactTests {
    @Test("the summary is printed and saved; the next turn sends it instead of the earlier ones")
    func compact() async throws {
        let home = ParleyProcess.dataFolder()
        let environment = ["PARLEY_HOME": home]
        try await TestServer.serving({ request in
            let body = String(decoding: request.body, as: UTF8.self)
            return .replay(
                StreamBodies.openAIChat([body.contains("Summarize our conversation") ? "They said hello." : "Hello!"]))
        }) { server in
            let base = ["--provider", "llamacpp", "--base-url", server.baseURL + "/v1"]
            let first = try await ParleyProcess.run(["ask"] + base + ["Say hello"], environment: environment)
            #expect(first.status == 0)
            let id = try #require(
                try await ParleyProcess.run(["list"], environment: environment).stdout.split(separator: " ").first
                    .map(String.init))

            let compacted = try await ParleyProcess.run(
                ["ask", "--conversation", id, "--compact"], environment: environment)
            #expect(compacted.status == 0)
            #expect(compacted.stdout == "They said hello.\n")

            let next = try await ParleyProcess.run(
                ["ask", "--conversation", id, "And goodbye?"], environment: environment)
            #expect(next.status == 0)
            let sent = try JSON.parse(try #require(server.requests.last).body)
            let messages = try #require(sent["messages"]?.array)
            #expect(messages.count == 2)
            #expect(messages.first?["role"]?.string == "system")
            #expect(messages.first?["content"]?.string?.hasSuffix("They said hello.") == true)
            #expect(messages.last?["content"]?.string == "And goodbye?")

            let shown = try await ParleyProcess.run(["show", id], environment: environment)
            #expect(shown.stdout.contains("Say hello"), "the summarized turn is still saved")
            #expect(shown.stdout.contains("you | compacting the conversation"))
            #expect(shown.stdout.contains("summary, sent in place of the messages before it"))

            let again = try await ParleyProcess.run(
                ["ask", "--conversation", id, "--compact"], environment: environment)
            #expect(again.status == 0, "the turn since the summary is summarized with it")
            let nothing = try await ParleyProcess.run(
                ["ask", "--conversation", id, "--compact"], environment: environment)
            #expect(nothing.status == 1)
            #expect(nothing.stderr.contains("nothing to compact"))
        }
    }

    @Test("--compact needs a conversation, takes no prompt, and keeps what it writes")
    func usage() async throws {
        let alone = try await ParleyProcess.run(["ask", "--compact"], environment: [:])
        #expect(alone.status == 2)
        #expect(alone.stderr.contains("--compact needs --conversation ID"))
        let prompt = try await ParleyProcess.run(["ask", "--conversation", "x", "--compact", "hi"], environment: [:])
        #expect(prompt.status == 2)
        #expect(prompt.stderr.contains("--compact takes no prompt"))
        let unsaved = try await ParleyProcess.run(
            ["ask", "--conversation", "x", "--compact", "--no-save"], environment: [:])
        #expect(unsaved.status == 2)
    }
}
