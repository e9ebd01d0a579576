import Clocks
import Foundation
import GRDB
import ParleyConfig
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyStreaming
import ParleyTUI
import ParleyTestSupport
import Synchronization
import Testing

@testable import parley

/// The app's effects as the run loop hands them over: what comes back through `post` and
/// `arrivals`, and what is left running when the app stops (nothing).
@Suite("The app's effects: replies, key commands, saves and model lists, and nothing left running after quitting")
struct AppEffectsTests {
    /// Everything the effects posted, in order.
    final class Inbox: Sendable {
        private let events = Mutex<[AppEvent]>([])
        func post(_ event: AppEvent) { events.withLock { $0.append(event) } }
        var all: [AppEvent] { events.withLock { $0 } }
    }

    struct Setup {
        let inbox = Inbox()
        let service = StreamingService()
        let effects: AppEffects
        let home: ConfigHome

        /// The effects of an app whose launch provider is a vLLM server at `baseURL`, its key from
        /// `keyCommand` when given, saving into a fresh database.
        init(
            baseURL: String = "http://127.0.0.1:9/v1", keyCommand: String? = nil, saving: Bool = false,
            quitting: AppEffects.Quitting = AppEffects.Quitting(savesLimit: .seconds(600), tell: { _ in })
        ) throws {
            home = try ConfigHome()
            let launch = ProviderChoice(
                preset: ProviderPreset.named("vllm")!, model: "house-model",
                endpoint: ProviderEndpoint(baseURL: baseURL, keyCommand: keyCommand))
            let store = saving ? try ConversationStore.open(at: home.folder + "/conversations.sqlite") : nil
            effects = AppEffects(
                providers: ConversationProviders(
                    launch: launch, environment: [:], configuration: ProviderConfiguration()),
                service: service, transport: ProviderTransport(), keys: AppKeys(timeout: .seconds(600)),
                preferences: UIPreferences(environment: home.environment()), store: store, savingProblem: nil,
                // A busy machine may take its time to answer and to write: these stories are about
                // order, completeness and cancelling, not about time limits.
                listingTimeout: .seconds(600), quitting: quitting, now: { .current }, post: inbox.post)
        }

        /// What the streams brought so far, taken as the run loop takes it.
        func take(into arrived: inout [AppEvent]) { arrived += effects.arrivals() }
    }

    static func start(_ session: SessionID) -> AppEffect {
        let conversation = ConversationID("c-1")
        return .chat(
            .startStream(
                StreamStart(
                    sessionID: session, conversationID: conversation, replyMessageID: MessageID("m-2"),
                    provider: "vllm", model: "house-model",
                    request: ChatRequest(model: "house-model", messages: [ChatMessage(.user, "Hi")]))))
    }

    static func isCancelled(_ event: AppEvent, _ id: SessionID) -> Bool {
        if case .chat(.streamCancelled(id, _, _)) = event { return true }
        return false
    }

    @Test("a reply waiting for its key command ends cancelled at once on Esc, and quitting stops the command")
    func cancelWhileUnlocking() async throws {
        let started = ScratchFolders.path("key-started")
        let setup = try Setup(keyCommand: "touch '\(started)'; exec sleep 600")
        let id = SessionID("s-1")
        setup.effects.perform(Self.start(id))
        #expect(await eventually { FileManager.default.fileExists(atPath: started) })
        setup.effects.perform(.chat(.cancelStream(id)))
        #expect(setup.inbox.all.count == 1)
        #expect(setup.inbox.all.first.map { Self.isCancelled($0, id) } == true)
        await setup.effects.stop()
        #expect(setup.inbox.all.count == 1)
        #expect(setup.service.activeSessions.isEmpty)
    }

    @Test("a key that arrives after the reply was cancelled starts nothing: no request is sent")
    func keyAfterCancel() async throws {
        let folder = try ScratchFolders.folder("key").path
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Hello"])) }
        let setup = try Setup(
            baseURL: server.baseURL + "/v1",
            keyCommand: "touch '\(folder)/started'; while [ ! -e '\(folder)/go' ]; do sleep 0.01; done; echo sk-late")
        let id = SessionID("s-1")
        setup.effects.perform(Self.start(id))
        #expect(await eventually { FileManager.default.fileExists(atPath: folder + "/started") })
        setup.effects.perform(.chat(.cancelStream(id)))
        _ = FileManager.default.createFile(atPath: folder + "/go", contents: nil)
        // The next reply gets the key the command gave, without running it again.
        let next = SessionID("s-2")
        setup.effects.perform(Self.start(next))
        var arrived: [AppEvent] = []
        #expect(
            await eventually {
                setup.take(into: &arrived)
                return arrived.contains { if case .chat(.streamFinished(next, _, _)) = $0 { true } else { false } }
            })
        await setup.effects.stop()
        #expect(server.requests.count == 1)
        #expect(server.requests.first?.header("Authorization") == "Bearer sk-late")
        #expect(setup.inbox.all.filter { Self.isCancelled($0, id) }.count == 1)
        #expect(!arrived.contains { if case .chat(.batchArrived(id, _, _)) = $0 { true } else { false } })
        try await server.shutdown()
    }

    @Test("a key command that fails ends the reply failed, saying which command and why")
    func keyCommandFails() async throws {
        let setup = try Setup(keyCommand: "echo 'no such entry' >&2; exit 3")
        let id = SessionID("s-1")
        setup.effects.perform(Self.start(id))
        #expect(await eventually { !setup.inbox.all.isEmpty })
        guard case .chat(.streamFailed(id, let error, _, _)) = setup.inbox.all.first else {
            Issue.record("expected the reply to fail, got \(setup.inbox.all)")
            return
        }
        #expect(error.kind == .auth)
        #expect(error.message.contains("exited with status 3: no such entry"))
        await setup.effects.stop()
    }

    @Test("saves are written in the order asked, and the last ones before quitting returns")
    func savesInOrder() async throws {
        let setup = try Setup(saving: true)
        let conversation = Conversation(
            id: ConversationID("c-1"), createdAt: .current, provider: "vllm", model: "house-model")
        var reply = Message(
            id: MessageID("m-1"), conversationID: conversation.id, role: .assistant, status: .streaming,
            createdAt: .current)
        setup.effects.perform(.chat(.createConversation(conversation, messages: [reply])))
        for count in 1...50 {
            reply.text = String(repeating: "word ", count: count)
            setup.effects.perform(.chat(.persistMessage(reply)))
        }
        reply.status = .complete
        setup.effects.perform(.chat(.persistMessage(reply)))
        await setup.effects.stop()
        let saved = try await ConversationStore.open(at: setup.home.folder + "/conversations.sqlite")
            .transcript(of: conversation.id)
        #expect(saved.messages.map(\.text) == [reply.text])
        #expect(saved.messages.map(\.status) == [.complete])
        let persisted = setup.inbox.all.filter { if case .chat(.persisted) = $0 { true } else { false } }
        #expect(persisted.count == 52)
    }

    @Test("quitting while another program holds the database says it is still saving, then that it gave up")
    func quittingSlowly() async throws {
        let told = Mutex<[String]>([])
        let clock = TestClock()
        let setup = try Setup(
            saving: true,
            quitting: AppEffects.Quitting(clock: clock, tell: { line in told.withLock { $0.append(line) } }))
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: setup.home.folder + "/conversations.sqlite", configuration: configuration)
        try other.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
        let conversation = Conversation(
            id: ConversationID("c-1"), createdAt: .current, provider: "vllm", model: "house-model")
        setup.effects.perform(.chat(.createConversation(conversation, messages: [])))
        // Time passes, however slowly the machine gets to the waits.
        let ticking = Task {
            while !Task.isCancelled {
                await clock.advance(by: .milliseconds(100))
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        await setup.effects.stop()
        ticking.cancel()
        #expect(
            told.withLock { $0 } == [
                "parley: saving the last replies before quitting…\n",
                "parley: quit before the last replies were saved: the database did not answer within 5 s "
                    + "(another program may be holding it)\n",
            ])
        try other.inDatabase { try $0.execute(sql: "ROLLBACK") }
    }

    @Test("quitting at once says nothing")
    func quittingAtOnce() async throws {
        let told = Mutex<[String]>([])
        let setup = try Setup(
            saving: true,
            quitting: AppEffects.Quitting(clock: TestClock(), tell: { line in told.withLock { $0.append(line) } }))
        await setup.effects.stop()
        #expect(told.withLock { $0 }.isEmpty)
    }

    @Test("quitting while a model list waits on a server that never answers stops the wait, and nothing is posted")
    func stopDuringListing() async throws {
        let server = try await TestServer.start { _ in ScriptedResponse(body: [.stall]) }
        let setup = try Setup(baseURL: server.baseURL + "/v1")
        setup.effects.perform(.listModels(provider: "vllm"))
        #expect(await server.waitForRequests(1))
        await setup.effects.stop()
        #expect(setup.inbox.all.isEmpty)
        try await server.shutdown()
    }

    @Test("the picker asking again for one provider's models gets one answer, the newer one")
    func listingReplaced() async throws {
        let gate = Gate()
        let server = try await TestServer.start { request in
            let body = #"{"object":"list","data":[{"id":"house-model"},{"id":"other"}]}"#
            return request.number == 1 ? ScriptedResponse.whole(body).held(at: [0], by: [gate]) : .whole(body)
        }
        let setup = try Setup(baseURL: server.baseURL + "/v1")
        setup.effects.perform(.listModels(provider: "vllm"))
        #expect(await server.waitForRequests(1))
        setup.effects.perform(.listModels(provider: "vllm"))
        #expect(await eventually { !setup.inbox.all.isEmpty })
        gate.open()
        await setup.effects.stop()
        #expect(setup.inbox.all == [.modelsListed(provider: "vllm", models: ["house-model", "other"])])
        try await server.shutdown()
    }
}
