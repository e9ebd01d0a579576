import ParleyCore
import Testing

// Shared vocabulary of the chat state's stories: conversations c1, c2, c3; the nth send uses user message
// "u<n>", reply "r<n>" and session "s<n>".
let c1 = ConversationID("c1")
let c2 = ConversationID("c2")
let c3 = ConversationID("c3")

func at(_ milliseconds: Int64) -> Timestamp { Timestamp(millisecondsSince1970: milliseconds) }
func user(_ n: Int) -> MessageID { MessageID("u\(n)") }
func reply(_ n: Int) -> MessageID { MessageID("r\(n)") }
func session(_ n: Int) -> SessionID { SessionID("s\(n)") }

enum Chat {
    static func newConversation(_ id: ConversationID, now: Timestamp, systemPrompt: String? = nil) -> ChatAction {
        .newConversationRequested(id, provider: "openai", model: "gpt-4o", systemPrompt: systemPrompt, now: now)
    }

    static func send(_ text: String, in id: ConversationID, _ n: Int, now: Timestamp) -> ChatAction {
        .sendRequested(
            id, text: text, userMessageID: user(n), replyMessageID: reply(n), sessionID: session(n), now: now)
    }

    static func batch(_ n: Int, _ events: [StreamEvent], now: Timestamp) -> ChatAction {
        .batchArrived(session(n), Batch(events: events), now: now)
    }

    static func finished(_ n: Int, now: Timestamp) -> ChatAction {
        .streamFinished(session(n), ReplyTiming(timeToFirstToken: .milliseconds(300), duration: .seconds(1)), now: now)
    }

    /// A whole reply: its text in one batch that ends it, then the stream's end.
    static func replied(_ n: Int, _ text: String, now: Timestamp) -> [ChatAction] {
        [batch(n, [.text(text), .stop(StopReason(.endTurn))], now: now), finished(n, now: now)]
    }
}

extension ChatState {
    /// Applies each action in turn and returns the effects of the last one.
    @discardableResult
    mutating func run(_ actions: [ChatAction]) -> [ChatEffect] {
        var effects: [ChatEffect] = []
        for action in actions { effects = reduce(action) }
        return effects
    }

    @discardableResult
    mutating func run(_ actions: ChatAction...) -> [ChatEffect] { run(actions) }

    func last(in id: ConversationID) -> Message? { transcripts[id]?.last }
}

extension [ChatEffect] {
    /// The messages these effects save, in order, whether alone or with their conversation's row.
    var savedMessages: [Message] {
        flatMap { effect -> [Message] in
            switch effect {
            case .persistMessage(let message): [message]
            case .persistConversation(_, let messages), .createConversation(_, let messages): messages
            default: []
            }
        }
    }
}

@Suite("Requests the store cannot honour are refused with a reason, changing nothing else")
struct ChatStateRefusalTests {
    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var action: ChatAction
        var notice: ChatNotice
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(
            name: "send to a conversation that does not exist", action: Chat.send("hi", in: c3, 9, now: at(5_000)),
            notice: .unknownConversation(c3)),
        Refusal(
            name: "send only whitespace", action: Chat.send(" \n\t", in: c1, 9, now: at(5_000)), notice: .emptyMessage),
        Refusal(
            name: "send while the conversation's reply streams", action: Chat.send("more", in: c2, 9, now: at(5_000)),
            notice: .replyInProgress(c2)),
        Refusal(
            name: "send with a message id already used",
            action: .sendRequested(
                c1, text: "hi", userMessageID: user(1), replyMessageID: reply(9), sessionID: session(9), now: at(5_000)),
            notice: .idInUse("u1")),
        Refusal(
            name: "send with a session id still running",
            action: .sendRequested(
                c1, text: "hi", userMessageID: user(9), replyMessageID: reply(9), sessionID: session(2), now: at(5_000)),
            notice: .idInUse("s2")),
        Refusal(
            name: "regenerate while the reply streams",
            action: .regenerateRequested(
                c2, replyMessageID: reply(9), sessionID: session(9), now: at(5_000)), notice: .replyInProgress(c2)),
        Refusal(
            name: "regenerate in a conversation that does not exist",
            action: .regenerateRequested(
                c3, replyMessageID: reply(9), sessionID: session(9), now: at(5_000)), notice: .unknownConversation(c3)),
        Refusal(
            name: "edit with nothing but spaces",
            action: .editAndResendRequested(
                c1, text: "  ", userMessageID: user(9), replyMessageID: reply(9), sessionID: session(9),
                now: at(5_000)), notice: .emptyMessage),
        Refusal(
            name: "edit while the reply streams",
            action: .editAndResendRequested(
                c2, text: "x", userMessageID: user(9), replyMessageID: reply(9), sessionID: session(9), now: at(5_000)),
            notice: .replyInProgress(c2)),
        Refusal(
            name: "resend a message that was saved", action: .resendRequested(user(1)),
            notice: .nothingToResend(user(1))),
        Refusal(
            name: "choose a branch that does not exist", action: .branchChosen(c1, messageID: reply(7), now: at(5_000)),
            notice: .unknownMessage(reply(7))),
        Refusal(name: "rename to blanks", action: .renameRequested(c1, title: "   "), notice: .emptyTitle),
        Refusal(
            name: "rename a conversation that does not exist", action: .renameRequested(c3, title: "x"),
            notice: .unknownConversation(c3)),
        Refusal(
            name: "delete a conversation that does not exist", action: .deleteRequested(c3),
            notice: .unknownConversation(c3)),
        Refusal(
            name: "select a conversation that does not exist", action: .selected(c3),
            notice: .unknownConversation(c3)),
        Refusal(
            name: "choose a model for a conversation that does not exist",
            action: .modelChosen(c3, provider: "ollama", model: "llama3.2"), notice: .unknownConversation(c3)),
        Refusal(
            name: "choose a blank model", action: .modelChosen(c1, provider: "ollama", model: " "),
            notice: .emptyModel),
        Refusal(
            name: "choose a model with no provider", action: .modelChosen(c1, provider: "", model: "llama3.2"),
            notice: .emptyModel),
        Refusal(
            name: "choose a system prompt for a conversation that does not exist",
            action: .systemPromptChosen(c3, "Be brief."), notice: .unknownConversation(c3)),
        Refusal(
            name: "create a conversation with an id in use", action: Chat.newConversation(c1, now: at(5_000)),
            notice: .idInUse("c1")),
    ]

    /// c1 has a complete exchange; c2's reply is streaming.
    static func twoConversations() -> ChatState {
        var state = ChatState()
        state.run(
            [Chat.newConversation(c1, now: at(1_000)), Chat.send("hello", in: c1, 1, now: at(1_100))]
                + Chat.replied(1, "hi there", now: at(1_500))
                + [
                    .persisted(user(1)), Chat.newConversation(c2, now: at(2_000)),
                    Chat.send("x", in: c2, 2, now: at(2_100)),
                ])
        return state
    }

    @Test("each refused request leaves the state as it was, with the reason shown", arguments: refusals)
    func refused(_ refusal: Refusal) {
        var state = Self.twoConversations()
        var expected = state
        let effects = state.reduce(refusal.action)
        #expect(effects.isEmpty)
        #expect(state.notice == refusal.notice)
        expected.run(.noticeDismissed)
        state.run(.noticeDismissed)
        #expect(state == expected)
    }

    @Test("regenerating a conversation with no messages has nothing to regenerate; editing has nothing to edit")
    func emptyConversation() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)))
        state.run(.regenerateRequested(c1, replyMessageID: reply(1), sessionID: session(1), now: at(2_000)))
        #expect(state.notice == .nothingToRegenerate(c1))
        state.run(
            .editAndResendRequested(
                c1, text: "x", userMessageID: user(1), replyMessageID: reply(1), sessionID: session(1), now: at(2_000)))
        #expect(state.notice == .nothingToEdit(c1))
        #expect(state.sessions.isEmpty)
        #expect(state.transcripts[c1] == [])
    }
}
