/// One prompt to several models at once, and picking the reply the conversation goes on with
/// (`Comparison`).
extension ChatState {
    mutating func compare(
        _ text: String, attachments: [Attachment], in id: ConversationID, userMessageID: MessageID,
        replies: [Comparison.Reply], now: Timestamp
    ) -> [ChatEffect] {
        guard let conversation = conversations[id] else { return refuse(.unknownConversation(id)) }
        guard Comparison.models.contains(replies.count) else { return refuse(.compareModelCount(replies.count)) }
        guard !text.allSatisfy(\.isWhitespace) || !attachments.isEmpty else { return refuse(.emptyMessage) }
        guard hasTranscript(id) else { return refuse(.transcriptNotLoaded(id)) }
        guard !hasLiveReply(id) else { return refuse(.replyInProgress(id)) }
        guard !replies.contains(where: { $0.provider.isEmpty || $0.model.isEmpty }) else { return refuse(.emptyModel) }
        let sessionIDs = replies.map(\.sessionID)
        if let taken = sessionIDs.first(where: { sessions[$0] != nil })
            ?? (Set(sessionIDs).count < sessionIDs.count
                ? sessionIDs.first : nil)
        {
            return refuse(.idInUse(taken.rawValue))
        }
        if let taken = takenID(messages: [userMessageID] + replies.map(\.replyMessageID)) {
            return refuse(.idInUse(taken))
        }

        let user = appendUserMessage(text, attachments: attachments, id: userMessageID, in: id, now: now)
        touch(id, now: now)
        var request = request(for: id)
        // Every column answers the same messages; one generation, so all of them are current.
        let generation = generations[id]! + 1
        generations[id] = generation
        var started: [Message] = []
        var starts: [ChatEffect] = []
        for reply in replies {
            // The first column is the path until another is picked: chosen, so the conversation
            // read again follows it too (and whatever is sent after it).
            let message = Message(
                id: reply.replyMessageID, conversationID: id, role: .assistant, status: .pending, createdAt: now,
                provider: reply.provider, model: reply.model, reasoning: conversation.reasoning, parentID: user.id,
                chosenAt: started.isEmpty ? now : nil)
            started.append(message)
            owners[reply.replyMessageID] = id
            sessions[reply.sessionID] = LiveSession(
                conversationID: id, replyMessageID: reply.replyMessageID, generation: generation, lastSavedAt: now)
            request.model = reply.model
            starts.append(
                .startStream(
                    StreamStart(
                        sessionID: reply.sessionID, conversationID: id, replyMessageID: reply.replyMessageID,
                        provider: reply.provider, model: reply.model, baseURL: reply.baseURL, request: request)))
        }
        transcripts[id]!.append(started[0])
        otherBranches[id, default: []] += started.dropFirst()
        comparisons[id] = Comparison(userMessageID: userMessageID, replies: replies)
        return saves(in: id, row: true, [user] + started) + starts
    }

    /// The picked reply's branch becomes the path, chosen now (so it stays chosen when read again);
    /// its model becomes the conversation's; the others still streaming are stopped.
    mutating func pick(_ messageID: MessageID, in id: ConversationID, now: Timestamp) -> [ChatEffect] {
        guard conversations[id] != nil else { return refuse(.unknownConversation(id)) }
        guard let comparison = comparisons[id],
            let picked = comparison.replies.first(where: { $0.replyMessageID == messageID })
        else { return refuse(.notCompared(messageID)) }
        var effects = choose(branch: messageID, in: id, now: now)
        if let reply = change(
            messageID, in: id,
            { reply -> Message in
                reply.chosenAt = now
                return reply
            })
        {
            effects += saves(in: id, [reply])
        }
        for other in comparison.replies where other.replyMessageID != messageID {
            if sessions[other.sessionID] != nil { effects += cancel(other.sessionID) }
        }
        comparisons[id] = nil
        let conversation = conversations[id]!
        let baseURL = picked.provider == conversation.provider ? conversation.baseURL : picked.baseURL
        return effects + choose(provider: picked.provider, model: picked.model, baseURL: baseURL, for: id)
    }
}
