extension ChatState {
    mutating func send(
        _ text: String, attachments: [Attachment], in id: ConversationID, userMessageID: MessageID,
        reply replyID: MessageID, session sessionID: SessionID, now: Timestamp
    ) -> [ChatEffect] {
        guard conversations[id] != nil else { return refuse(.unknownConversation(id)) }
        guard !text.allSatisfy(\.isWhitespace) || !attachments.isEmpty else { return refuse(.emptyMessage) }
        guard hasTranscript(id) else { return refuse(.transcriptNotLoaded(id)) }
        guard !hasLiveReply(id) else { return refuse(.replyInProgress(id)) }
        if let taken = takenID(messages: [userMessageID, replyID], session: sessionID) {
            return refuse(.idInUse(taken))
        }

        let user = appendUserMessage(text, attachments: attachments, id: userMessageID, in: id, now: now)
        return startReply(replyID, in: id, session: sessionID, after: user, now: now)
    }

    /// The user's message at the end of the path, `sending`; the first one titles the conversation.
    mutating func appendUserMessage(
        _ text: String, attachments: [Attachment], id userMessageID: MessageID, in id: ConversationID, now: Timestamp
    ) -> Message {
        // Files alone: no blank text goes with them (Anthropic refuses a blank text block).
        let text = text.allSatisfy(\.isWhitespace) ? "" : text
        let isFirst = !(transcripts[id]!.contains { $0.role == .user })
        if isFirst && conversations[id]!.title == Conversation.untitled {
            conversations[id]!.title = Conversation.title(
                from: text.isEmpty ? attachments.map(\.name).joined(separator: ", ") : text)
        }
        let user = Message(
            id: userMessageID, conversationID: id, role: .user, status: .sending, text: text, attachments: attachments,
            createdAt: now, parentID: transcripts[id]!.last?.id)
        transcripts[id]!.append(user)
        owners[userMessageID] = id
        return user
    }

    /// Compacting is a turn of its own: the instruction as the user's message, the summary as the
    /// reply (`startReply` marks it), sent with everything since the last summary.
    mutating func compact(
        _ id: ConversationID, userMessageID: MessageID, reply replyID: MessageID, session sessionID: SessionID,
        now: Timestamp
    ) -> [ChatEffect] {
        guard conversations[id] != nil else { return refuse(.unknownConversation(id)) }
        guard hasTranscript(id) else { return refuse(.transcriptNotLoaded(id)) }
        guard !hasLiveReply(id) else { return refuse(.replyInProgress(id)) }
        guard Compaction.canCompact(transcripts[id]!) else { return refuse(.nothingToCompact(id)) }
        if let taken = takenID(messages: [userMessageID, replyID], session: sessionID) {
            return refuse(.idInUse(taken))
        }
        let request = Message(
            id: userMessageID, conversationID: id, role: .user, status: .sending, text: Compaction.instruction,
            createdAt: now, parentID: transcripts[id]!.last?.id, compaction: .request)
        transcripts[id]!.append(request)
        owners[userMessageID] = id
        return startReply(replyID, in: id, session: sessionID, after: request, now: now)
    }

    /// The new reply is a sibling of the last one: the old reply stays on its branch whatever
    /// becomes of the new one (failed, cancelled: shown with its error and partial text), and
    /// `branchChosen` brings it back. Nothing is ever discarded.
    mutating func regenerate(
        in id: ConversationID, reply replyID: MessageID, session sessionID: SessionID, now: Timestamp
    ) -> [ChatEffect] {
        guard conversations[id] != nil else { return refuse(.unknownConversation(id)) }
        guard !hasLiveReply(id) else { return refuse(.replyInProgress(id)) }
        guard let last = transcripts[id]!.last else { return refuse(.nothingToRegenerate(id)) }
        if let taken = takenID(messages: [replyID], session: sessionID) { return refuse(.idInUse(taken)) }
        // A conversation whose reply was never saved ends with the user's message: answer it afresh.
        guard last.role == .assistant else {
            return startReply(replyID, in: id, session: sessionID, now: now)
        }
        branchOff(at: transcripts[id]!.count - 1, in: id)
        return startReply(replyID, in: id, session: sessionID, now: now)
    }

    /// The edited text is a new message beside the old one, which stays on its branch with the
    /// replies it had, so nothing the user saw is lost.
    mutating func editAndResend(
        _ text: String, in id: ConversationID, edited: MessageID?, userMessageID: MessageID, reply replyID: MessageID,
        session sessionID: SessionID, now: Timestamp
    ) -> [ChatEffect] {
        guard conversations[id] != nil else { return refuse(.unknownConversation(id)) }
        guard !text.allSatisfy(\.isWhitespace) else { return refuse(.emptyMessage) }
        guard !hasLiveReply(id) else { return refuse(.replyInProgress(id)) }
        let userIndex =
            edited.map { edited in transcripts[id]!.firstIndex { $0.id == edited && $0.role == .user } }
            ?? transcripts[id]!.lastIndex { $0.role == .user }
        guard let userIndex else { return refuse(.nothingToEdit(id)) }
        if let taken = takenID(messages: [userMessageID, replyID], session: sessionID) {
            return refuse(.idInUse(taken))
        }

        let old = transcripts[id]![userIndex]
        branchOff(at: userIndex, in: id)
        let user = Message(
            id: userMessageID, conversationID: id, role: .user, status: .sending, text: text,
            attachments: old.attachments, createdAt: now, parentID: old.parentID, compaction: old.compaction)
        transcripts[id]!.append(user)
        owners[userMessageID] = id
        return startReply(replyID, in: id, session: sessionID, after: user, now: now)
    }

    /// The next round of a reply that called tools: the results as a `tool` message, then a new
    /// reply streaming from `request`.
    mutating func answer(
        _ results: [ToolResult], in id: ConversationID, resultsMessage resultsID: MessageID, reply replyID: MessageID,
        session sessionID: SessionID, request: ChatRequest?, now: Timestamp
    ) -> [ChatEffect] {
        guard conversations[id] != nil else { return refuse(.unknownConversation(id)) }
        guard transcripts[id]?.last?.isLive != true else { return refuse(.replyInProgress(id)) }
        guard let last = transcripts[id]?.last, last.role == .assistant, !last.toolCalls.isEmpty,
            request != nil || toolLoops[id]?.isAnswered == true
        else {
            // A loop with nothing left to answer is over: it must not be offered again and again.
            if request == nil { toolLoops[id] = nil }
            return refuse(.noToolCallsToAnswer(id))
        }
        if let taken = takenID(messages: [resultsID, replyID], session: sessionID) { return refuse(.idInUse(taken)) }
        let request = request ?? toolLoops[id]!.rounds.answered(results)
        toolLoops[id]?.calls = []
        let answered = Message(
            id: resultsID, conversationID: id, role: .tool, status: .sent,
            text: results.map(\.content).joined(separator: "\n\n"), toolResults: results, createdAt: now,
            parentID: last.id)
        transcripts[id]!.append(answered)
        owners[resultsID] = id
        return startReply(
            replyID, in: id, session: sessionID, after: answered, request: request, now: now)
    }

    mutating func resend(_ messageID: MessageID) -> [ChatEffect] {
        guard let id = owners[messageID], let index = index(of: messageID, in: id),
            transcripts[id]![index].role == .user, saveFailures[messageID] != nil
        else { return refuse(.nothingToResend(messageID)) }
        return saves(in: id, [transcripts[id]![index]])
    }

    /// Appends a `pending` reply, opens a new generation for the conversation and asks for its stream,
    /// with every earlier message as context and the tools on offer (or `request`, when the caller
    /// made it: a tool loop's next round). Saves go
    /// conversation first, then the message before the reply (the user's, when it is new or changed,
    /// or a round's results), then the reply: the order rows must exist in (a conversation with no
    /// row yet is created with them all at once).
    private mutating func startReply(
        _ replyID: MessageID, in id: ConversationID, session sessionID: SessionID, after user: Message? = nil,
        request: ChatRequest? = nil, now: Timestamp
    ) -> [ChatEffect] {
        touch(id, now: now)
        // A new turn ends a comparison: its columns are branches like any others from now on.
        comparisons[id] = nil
        let conversation = conversations[id]!
        var asked: ChatRequest
        if let request {
            asked = request
        } else {
            asked = self.request(for: id)
            // A summary is written from the conversation alone.
            if transcripts[id]!.last?.compaction != .request {
                offerTools(in: &asked, provider: conversation.provider, for: id)
            }
        }
        // The answer to a request for a summary is the summary (a regenerated one too).
        let compaction: Compaction? = transcripts[id]!.last?.compaction == .request ? .summary : nil
        let reply = Message(
            id: replyID, conversationID: id, role: .assistant, status: .pending, createdAt: now,
            provider: conversation.provider, model: conversation.model, reasoning: conversation.reasoning,
            parentID: transcripts[id]!.last?.id, compaction: compaction)
        transcripts[id]!.append(reply)
        owners[replyID] = id
        let generation = generations[id]! + 1
        generations[id] = generation
        sessions[sessionID] = LiveSession(
            conversationID: id, replyMessageID: replyID, generation: generation, lastSavedAt: now)
        let start = StreamStart(
            sessionID: sessionID, conversationID: id, replyMessageID: replyID, provider: conversation.provider,
            model: conversation.model, baseURL: conversation.baseURL, request: asked)
        return saves(in: id, row: true, (user.map { [$0] } ?? []) + [reply]) + [.startStream(start)]
    }

    /// What the model is asked for the conversation's path as it stands: its messages since the
    /// last summary, its system prompt and reasoning setting; no tools.
    func request(for id: ConversationID) -> ChatRequest {
        let conversation = conversations[id]!
        let transcript = transcripts[id]!
        let summary = Compaction.lastSummary(in: transcript)
        return ChatRequest(
            model: conversation.model, messages: context(transcript, after: summary),
            system: Compaction.system(conversation.systemPrompt, summary: summary.map { transcript[$0].text }),
            reasoning: conversation.reasoning)
    }

    /// The path from `index` on leaves the path for the conversation's other branches.
    private mutating func branchOff(at index: Int, in id: ConversationID) {
        otherBranches[id, default: []] += transcripts[id]![index...]
        transcripts[id]!.removeSubrange(index...)
    }

    /// What the model is told: every earlier message, except replies that produced nothing (most
    /// providers refuse an empty assistant turn). A reply's tool calls go with it only when their
    /// results follow (every API refuses calls left unanswered), and so does its thinking, unsigned:
    /// DeepSeek wants it back with the calls in every later request, and the formats that sign
    /// thinking leave unsigned thinking out (they need it back only within a tool loop, which
    /// `ToolRounds` keeps whole).
    ///
    /// Messages up to the last summary (`after`) go as that summary instead; the requests for
    /// summaries and summaries that failed are never sent, but for the request being asked now.
    private func context(_ messages: [Message], after summary: Int?) -> [ChatMessage] {
        let start = summary.map { $0 + 1 } ?? 0
        return messages.indices[start...].compactMap { index in
            let message = messages[index]
            if message.compaction != nil, index != messages.count - 1 { return nil }
            switch message.role {
            case .assistant:
                let answered = messages.indices.contains(index + 1) && messages[index + 1].role == .tool
                let calls = answered ? message.toolCalls.map(MessagePart.toolCall) : []
                let thought =
                    calls.isEmpty || message.thinking.isEmpty
                    ? [] : [MessagePart.thinking(message.thinking, signature: nil)]
                let text = message.text.isEmpty ? [] : [MessagePart.text(message.text)]
                return text.isEmpty && calls.isEmpty ? nil : ChatMessage(.assistant, parts: thought + text + calls)
            case .tool:
                let previous = index > 0 ? messages[index - 1] : nil
                guard previous?.role == .assistant, previous?.toolCalls.isEmpty == false else { return nil }
                return ChatMessage(.tool, parts: message.toolResults.map(MessagePart.toolResult))
            case .system, .user:
                let text = message.text.isEmpty ? [] : [MessagePart.text(message.text)]
                return ChatMessage(message.role, parts: message.attachments.map(MessagePart.attachment) + text)
            }
        }
    }

    private func takenID(messages ids: [MessageID], session: SessionID) -> String? {
        if sessions[session] != nil { return session.rawValue }
        return takenID(messages: ids)
    }

    /// An id of `ids` already in use, or repeated among them.
    func takenID(messages ids: [MessageID]) -> String? {
        if Set(ids).count < ids.count { return ids[0].rawValue }
        return ids.first { owners[$0] != nil }?.rawValue
    }
}
