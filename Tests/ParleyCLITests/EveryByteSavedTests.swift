import Foundation
import ParleyTestSupport
import Testing

@Suite("Every byte of a turn is saved, NUL bytes included")
struct EveryByteSavedTests {
    let home = ParleyProcess.dataFolder()

    func parley(_ arguments: [String], stdin: String? = nil) async throws -> ParleyProcess.Result {
        try await ParleyProcess.run(arguments, environment: ["PARLEY_HOME": home], stdin: stdin)
    }

    @Test(
        "a prompt, a reply and its thinking holding NUL bytes come back whole from show and export; search finds words after them"
    )
    func nulBytes() async throws {
        let prompt = "\0Why\0 NUL\0\0bytes?\0"
        let thinking = "\0think\0more"
        let reply = "before\0after\0\0end\0"
        let server = try await TestServer.start { _ in
            .replay(StreamBodies.openAIChatReasoningDelta(thinking) + StreamBodies.openAIChat([reply]))
        }
        let asked = try await parley(
            ["ask", "--provider", "llamacpp", "--base-url", server.baseURL + "/v1"], stdin: prompt)
        try await server.shutdown()
        #expect(asked.status == 0)
        #expect(asked.stdout.hasPrefix(reply), "what was shown is the whole reply")

        let listed = try await parley(["list"])
        let id = try #require(listed.stdout.split(separator: " ").first.map(String.init))
        #expect(listed.stdout.contains("\0Why\0 NUL\0\0bytes?\0"), "the title keeps its NUL bytes")

        let shown = try await parley(["show", "--thinking", id])
        #expect(shown.stdout.contains(prompt))
        #expect(shown.stdout.contains(reply))
        #expect(shown.stdout.contains("think\0more"))

        let exported = try await parley(["export", id, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
        #expect(object["title"] as? String == prompt)
        let messages = try #require(object["messages"] as? [[String: Any]])
        #expect(messages.map { $0["text"] as? String } == [prompt, reply])
        #expect(messages.last?["thinking"] as? String == thinking)

        for word in ["after", "end", "bytes"] {
            let found = try await parley(["search", word])
            #expect(found.stdout.contains(id), "search finds “\(word)”, which comes after a NUL")
        }
    }
}
