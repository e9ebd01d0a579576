import ParleyCore
import Testing

@Suite("Choosing a conversation's model and system prompt: saved at once, used by the next reply")
struct ChatStateChoicesTests {
    @Test("a model choice changes the conversation, is saved, and the next reply goes to the new provider and model")
    func modelChosen() throws {
        var state = ChatState()
        state.run(.loaded(conversations: [Self.saved(c1, at: 1_000), Self.saved(c2, at: 2_000)], messages: []))
        let effects = state.run(.modelChosen(c1, provider: "ollama", model: "llama3.2:latest"))
        let chosen = try #require(state.conversations[c1])
        #expect(chosen.provider == "ollama")
        #expect(chosen.model == "llama3.2:latest")
        #expect(effects == [.persistConversation(chosen, messages: [])])
        // Choosing is not activity: the list keeps its order.
        #expect(state.order == [c2, c1])

        let sent = state.run(Chat.send("hello", in: c1, 1, now: at(3_000)))
        guard case .startStream(let start) = sent.last else {
            Issue.record("expected a stream, got \(sent)")
            return
        }
        #expect(start.provider == "ollama")
        #expect(start.model == "llama3.2:latest")
        #expect(start.request.model == "llama3.2:latest")
        #expect(state.last(in: c1)?.provider == "ollama")
    }

    @Test("choosing what the conversation already has changes and saves nothing")
    func sameModel() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)))
        let before = state
        #expect(state.run(.modelChosen(c1, provider: "openai", model: "gpt-4o")).isEmpty)
        #expect(state.run(.systemPromptChosen(c1, nil)).isEmpty)
        #expect(state == before)
    }

    @Test("while a reply streams the choice is taken: the streaming reply keeps its model, the next one uses the new")
    func whileStreaming() throws {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.send("first", in: c1, 1, now: at(1_100)))
        let effects = state.run(.modelChosen(c1, provider: "anthropic", model: "claude-sonnet-4-5"))
        #expect(effects.count == 1)
        #expect(state.notice == nil)
        #expect(state.last(in: c1)?.provider == "openai")
        #expect(state.last(in: c1)?.model == "gpt-4o")
        #expect(state.sessions[session(1)] != nil)
        state.run(Chat.batch(1, [.text("old model's words")], now: at(1_200)))
        #expect(state.last(in: c1)?.text == "old model's words")

        state.run(Chat.replied(1, "", now: at(1_500)))
        let next = state.run(Chat.send("second", in: c1, 2, now: at(2_000)))
        guard case .startStream(let start) = next.last else {
            Issue.record("expected a stream, got \(next)")
            return
        }
        #expect(start.provider == "anthropic")
        #expect(start.model == "claude-sonnet-4-5")
    }

    @Test("a system prompt choice is saved and given to the next reply; nil or blanks remove it")
    func systemPromptChosen() throws {
        var state = ChatState()
        var conversation = Self.saved(c1, at: 1_000)
        conversation.systemPrompt = "Answer in French."
        state.run(.loaded(conversations: [conversation], messages: []))
        let effects = state.run(.systemPromptChosen(c1, "You are a careful reviewer."))
        let chosen = try #require(state.conversations[c1])
        #expect(chosen.systemPrompt == "You are a careful reviewer.")
        #expect(effects == [.persistConversation(chosen, messages: [])])

        let sent = state.run(Chat.send("review this", in: c1, 1, now: at(2_000)))
        guard case .startStream(let start) = sent.last else {
            Issue.record("expected a stream, got \(sent)")
            return
        }
        #expect(start.request.system == "You are a careful reviewer.")

        state.run(.systemPromptChosen(c1, "  \n"))
        #expect(state.conversations[c1]?.systemPrompt == nil)
        state.run(.systemPromptChosen(c1, "Be brief."))
        let removed = state.run(.systemPromptChosen(c1, nil))
        #expect(state.conversations[c1]?.systemPrompt == nil)
        #expect(removed == [.persistConversation(state.conversations[c1]!, messages: [])])
    }

    @Test("a reasoning choice is saved and asked for by the next reply, whose header keeps it")
    func reasoningChosen() throws {
        var state = ChatState()
        state.run(.loaded(conversations: [Self.saved(c1, at: 1_000)], messages: []))
        let effects = state.run(.reasoningChosen(c1, .effort(.high)))
        let chosen = try #require(state.conversations[c1])
        #expect(chosen.reasoning == .effort(.high))
        #expect(effects == [.persistConversation(chosen, messages: [])])
        #expect(state.run(.reasoningChosen(c1, .effort(.high))).isEmpty, "no change, nothing saved")

        let sent = state.run(Chat.send("think hard", in: c1, 1, now: at(2_000)))
        guard case .startStream(let start) = sent.last else {
            Issue.record("expected a stream, got \(sent)")
            return
        }
        #expect(start.request.reasoning == .effort(.high))
        #expect(state.last(in: c1)?.reasoning == .effort(.high))
    }

    @Test("a model that refuses the setting: the reply says it ran without, the conversation goes back to auto, saved")
    func reasoningRefused() throws {
        var state = ChatState()
        var conversation = Self.saved(c1, at: 1_000)
        conversation.reasoning = .budget(8000)
        state.run(.loaded(conversations: [conversation], messages: []))
        state.run(Chat.send("think hard", in: c1, 1, now: at(2_000)))
        let refusal = ProviderError(
            .invalidRequest, "400 from Anthropic: 'claude-3-5-haiku' does not support thinking.")
        let effects = state.run(
            Chat.batch(1, [.reasoningRefused(refusal), .start(model: nil), .text("Hi")], now: at(2_500)))

        let back = try #require(state.conversations[c1])
        #expect(back.reasoning == .standard)
        #expect(state.last(in: c1)?.reasoning == .standard)
        #expect(state.last(in: c1)?.text == "Hi")
        #expect(state.notice == .reasoningRefused(model: "gpt-4o", setting: .budget(8000), refusal))
        #expect(effects == [.persistConversation(back, messages: [state.last(in: c1)!])])
    }

    @Test(
        "a conversation keeps where it talks: its stream starts at its base URL; a choice of provider moves it, of model only does not"
    )
    func baseURL() throws {
        var state = ChatState()
        state.run(
            .newConversationRequested(
                c1, provider: "openai", model: "gpt-4o", systemPrompt: nil, baseURL: "http://127.0.0.1:8080/v1",
                now: at(1_000)))
        let sent = state.run(Chat.send("hello", in: c1, 1, now: at(1_100)))
        guard case .startStream(let start) = sent.last, case .createConversation(let created, _) = sent.first else {
            Issue.record("expected the conversation created and a stream, got \(sent)")
            return
        }
        #expect(start.baseURL == "http://127.0.0.1:8080/v1")
        #expect(created.baseURL == "http://127.0.0.1:8080/v1")
        state.run(Chat.replied(1, "hi", now: at(1_200)))

        state.run(.modelChosen(c1, provider: "openai", model: "gpt-4o-mini"))
        #expect(state.conversations[c1]?.baseURL == "http://127.0.0.1:8080/v1")
        state.run(.modelChosen(c1, provider: "ollama", model: "llama3.2"))
        #expect(state.conversations[c1]?.baseURL == nil)
        let moved = state.run(.modelChosen(c1, provider: "ollama", model: "llama3.2", baseURL: "http://10.0.0.2:11434"))
        #expect(moved == [.persistConversation(state.conversations[c1]!, messages: [])])
        #expect(state.conversations[c1]?.baseURL == "http://10.0.0.2:11434")
    }

    /// A conversation that has its row in the database.
    static func saved(_ id: ConversationID, at milliseconds: Int64) -> Conversation {
        Conversation(id: id, createdAt: at(milliseconds), provider: "openai", model: "gpt-4o")
    }
}
