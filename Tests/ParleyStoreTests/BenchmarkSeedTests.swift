import ParleyCore
import ParleyStore
import Testing

@Suite("Seeding a database for the benchmark")
struct BenchmarkSeedTests {
    let folder = TemporaryFolder()

    @Test("N conversations of M messages are made, listed newest first, searchable and readable")
    func seeds() async throws {
        let store = try folder.open()
        let ids = try await store.seedForBenchmark(
            conversations: 3, messagesEach: 4, start: Sample.time(0))

        let list = try await store.conversations()
        #expect(list.map(\.conversation.id) == ids.reversed())
        #expect(list.allSatisfy { $0.messageCount == 4 && $0.status == .idle })
        let transcript = try await store.transcript(of: ids[1])
        #expect(transcript.messages.map(\.role) == [.user, .assistant, .user, .assistant])
        #expect(transcript.messages.last?.text.hasPrefix("Message 3 of conversation 1: ") == true)
        #expect(try await store.search("checkpoint").count == 3)
    }
}
