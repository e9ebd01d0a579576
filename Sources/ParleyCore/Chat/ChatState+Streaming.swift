extension ChatState {
    /// A streaming reply is saved at most this long after its previous save.
    public static let checkpointInterval: Duration = .seconds(1)

    enum Ending: Equatable {
        case finished
        case failed(ProviderError)
        case cancelled
    }

    mutating func fold(_ batch: Batch, from sessionID: SessionID, now: Timestamp) -> [ChatEffect] {
        guard let session = sessions[sessionID], isCurrent(session),
            let reply = change(
                session.replyMessageID, in: session.conversationID,
                { reply in
                    reply.apply(batch, now: now)
                    return reply
                })
        else { return [] }
        let id = session.conversationID
        toolLoops[id]?.rounds.record(batch.events)
        sessions[sessionID]!.hasUnsavedChanges = true
        // The model would not take the conversation's reasoning setting: it goes back to the
        // default, so the next reply does not ask (and fail) again.
        for case .reasoningRefused(let refusal) in batch.events {
            let setting = conversations[id]!.reasoning
            conversations[id]!.reasoning = .standard
            notice = .reasoningRefused(model: reply.model ?? "", setting: setting, refusal)
            return saves(in: id, row: true, [reply])
        }
        return checkpoint(sessionID, now: now)
    }

    mutating func checkpoints(now: Timestamp) -> [ChatEffect] {
        sessions.keys.sorted().flatMap { sessionID in
            isCurrent(sessions[sessionID]!) ? checkpoint(sessionID, now: now) : []
        }
    }

    /// Saves the session's reply when it has changed and the last save is at least a second old.
    private mutating func checkpoint(_ sessionID: SessionID, now: Timestamp) -> [ChatEffect] {
        let session = sessions[sessionID]!
        guard session.hasUnsavedChanges, session.lastSavedAt.adding(Self.checkpointInterval) <= now,
            let reply = change(session.replyMessageID, in: session.conversationID, { $0 })
        else { return [] }
        sessions[sessionID]!.lastSavedAt = now
        sessions[sessionID]!.hasUnsavedChanges = false
        return saves(in: session.conversationID, [reply])
    }

    /// The reply shows `cancelled` at once and keeps what arrived; the session stays current so the
    /// text already on its way (the final flush) still lands, and its end saves the reply again.
    mutating func cancel(_ sessionID: SessionID) -> [ChatEffect] {
        guard let session = sessions[sessionID], !session.cancelRequested else { return [] }
        sessions[sessionID]!.cancelRequested = true
        guard isCurrent(session),
            let reply = change(
                session.replyMessageID, in: session.conversationID,
                { reply -> Message? in
                    guard reply.isLive else { return nil }
                    reply.status = .cancelled
                    return reply
                }) ?? nil
        else { return [.cancelStream(sessionID)] }
        return [.cancelStream(sessionID)] + saves(in: session.conversationID, [reply])
    }

    mutating func end(_ sessionID: SessionID, _ ending: Ending, _ timing: ReplyTiming, now: Timestamp)
        -> [ChatEffect]
    {
        guard let session = sessions.removeValue(forKey: sessionID), isCurrent(session),
            let reply = change(
                session.replyMessageID, in: session.conversationID,
                { reply in
                    reply.finish(ending, timing, cancelRequested: session.cancelRequested, now: now)
                    return reply
                })
        else { return [] }
        let id = session.conversationID
        touch(id, now: now)
        var saved = saves(in: id, row: true, [reply])
        // A round that asks for tools is answered where it was asked: its branch becomes the path
        // again if the user switched away while it streamed.
        if toolLoops[id] != nil, !reply.toolCalls.isEmpty, index(of: reply.id, in: id) == nil {
            saved += choose(branch: reply.id, in: id, now: now)
        }
        let tools = roundEnded(reply, in: id, now: now)
        if reply.status != .cancelled && selectedConversationID != id && toolLoops[id] == nil { unread.insert(id) }
        return saved + tools
    }
}

extension Message {
    mutating func apply(_ batch: Batch, now: Timestamp) {
        timeToFirstToken = timeToFirstToken ?? batch.timeToFirstToken
        for event in batch.events {
            if case .text = event, text.isEmpty, thinkingDuration == nil, !thinking.isEmpty || redactedThinking > 0 {
                thinkingDuration = createdAt.duration(to: now)
            }
            switch event {
            case .reasoningRefused: reasoning = .standard
            case .start(let model): if let model { self.model = model }
            case .text(let more): text += more
            case .thinking(let more): thinking += more
            case .redactedThinking: redactedThinking += 1
            // Needed only to send the thinking back within a tool loop, which builds its request
            // from the round's own events (`ChatMessage(replyOf:)`).
            case .thinkingSignature: break
            case .toolCall(let call): toolCalls.append(call)
            case .usage(let usage): self.usage = usage
            case .error(let error): self.error = error
            case .stop(let reason): stopReason = reason
            }
        }
        if status == .pending { status = .streaming }
    }

    /// How the reply ended. A stream that "finished" with an error in it, or without ever saying it
    /// was complete, is a failure: a dropped connection must never read as a whole reply.
    mutating func finish(_ ending: ChatState.Ending, _ timing: ReplyTiming, cancelRequested: Bool, now: Timestamp) {
        if thinkingDuration == nil, !thinking.isEmpty || redactedThinking > 0 {
            thinkingDuration = createdAt.duration(to: now)
        }
        timeToFirstToken = timing.timeToFirstToken ?? timeToFirstToken
        duration = timing.duration ?? duration
        switch ending {
        case .finished where error != nil:
            status = .failed
        case .finished where stopReason?.kind == .cancelled:
            status = .cancelled
        case .finished where stopReason == nil:
            if cancelRequested {
                status = .cancelled
                stopReason = StopReason(.cancelled)
            } else {
                status = .failed
                error = ProviderError(.protocol, "the reply ended without saying it was complete")
            }
        case .finished:
            status = .complete
        case .failed(let failure) where failure.kind == .cancelled:
            status = .cancelled
            stopReason = stopReason ?? StopReason(.cancelled)
        case .failed(let failure):
            status = .failed
            error = failure
        case .cancelled:
            status = .cancelled
            stopReason = stopReason ?? StopReason(.cancelled)
        }
    }
}
