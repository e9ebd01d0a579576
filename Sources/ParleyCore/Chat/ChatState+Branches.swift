/// Moving between a conversation's branches, deleting one, and forking the current path into a
/// conversation of its own (`ConversationTree`).
extension ChatState {
    /// The siblings of a message on the current path (itself included), oldest first; one
    /// message alone when it has none.
    public func siblings(of message: Message) -> [Message] {
        guard let others = otherBranches[message.conversationID], !others.isEmpty else { return [message] }
        return ConversationTree.siblings(of: message, among: others)
    }

    /// The message, on the conversation's path or off it.
    public func message(_ messageID: MessageID, in id: ConversationID) -> Message? {
        transcripts[id]?.last { $0.id == messageID } ?? otherBranches[id]?.last { $0.id == messageID }
    }

    /// Whether the message is in one of the conversations, on any branch.
    public func owns(_ messageID: MessageID) -> Bool { owners[messageID] != nil }

    /// The path goes through the message: the branch it is on becomes the path's from the fork
    /// where it leaves the path, each message on the way down to it chosen now (so a search hit
    /// deep in a branch opens where it was found), and the path after it follows its branch. A
    /// reply streaming on the branch left behind goes on streaming there (`change`); the choices
    /// are saved, so the conversation opens on them again.
    mutating func choose(branch messageID: MessageID, in id: ConversationID, now: Timestamp) -> [ChatEffect] {
        guard conversations[id] != nil else { return refuse(.unknownConversation(id)) }
        // Choosing the branch already shown changes nothing.
        if index(of: messageID, in: id) != nil { return [] }
        // A round's calls are answered on the path they were made on.
        guard toolLoops[id]?.calls.isEmpty != false else { return refuse(.replyInProgress(id)) }
        guard var others = otherBranches[id], var top = others.firstIndex(where: { $0.id == messageID }) else {
            return refuse(.unknownMessage(messageID))
        }
        var chain = [top]
        while let parent = others[top].parentID, index(of: parent, in: id) == nil {
            guard let above = others.firstIndex(where: { $0.id == parent }) else { break }
            top = above
            chain.append(top)
        }
        for index in chain { others[index].chosenAt = now }
        let chosen = chain.map { others[$0] }
        let start = others.remove(at: top)
        let fork = transcripts[id]!.firstIndex { $0.parentID == start.parentID } ?? transcripts[id]!.count
        others += transcripts[id]![fork...]
        transcripts[id]!.replaceSubrange(fork..., with: ConversationTree.path(from: start, taking: &others))
        otherBranches[id] = others
        return saves(in: id, chosen.reversed())
    }

    /// Deletes a branch: a message of the path that has siblings, and all that follows it on every
    /// branch. The path goes on along the sibling chosen last.
    mutating func deleteBranch(_ messageID: MessageID, in id: ConversationID) -> [ChatEffect] {
        guard conversations[id] != nil else { return refuse(.unknownConversation(id)) }
        guard !hasLiveReply(id) else { return refuse(.replyInProgress(id)) }
        guard let fork = index(of: messageID, in: id) else { return refuse(.unknownMessage(messageID)) }
        let message = transcripts[id]![fork]
        guard siblings(of: message).count > 1 else { return refuse(.onlyBranch(messageID)) }
        let doomed = ConversationTree.descendants(of: messageID, in: transcripts[id]! + otherBranches[id]!)
            .union([messageID])
        for gone in doomed {
            owners[gone] = nil
            saveFailures[gone] = nil
        }
        comparisons[id]?.replies.removeAll { doomed.contains($0.replyMessageID) }
        if let left = comparisons[id]?.replies.count, left < Comparison.models.lowerBound { comparisons[id] = nil }
        var others = otherBranches[id]!.filter { !doomed.contains($0.id) }
        transcripts[id]!.removeSubrange(fork...)
        let next = ConversationTree.chosen(among: others.filter { $0.parentID == message.parentID })!
        others.removeAll { $0.id == next.id }
        transcripts[id]! += ConversationTree.path(from: next, taking: &others)
        otherBranches[id] = others
        return unsaved.contains(id) ? [] : [.deleteBranch(id, messageID)]
    }

    /// A new conversation with copies of the current path up to `messageID`, with the same
    /// provider, model and settings, opened at once. Copies are finished messages: the fork waits
    /// for a reply on the copied path to end.
    mutating func fork(
        _ id: ConversationID, through messageID: MessageID, into forkID: ConversationID, messageIDs: [MessageID],
        now: Timestamp
    ) -> [ChatEffect] {
        guard let original = conversations[id] else { return refuse(.unknownConversation(id)) }
        guard let last = index(of: messageID, in: id) else { return refuse(.unknownMessage(messageID)) }
        let copied = transcripts[id]![...last]
        guard !copied.contains(where: \.isLive) else { return refuse(.replyInProgress(id)) }
        guard conversations[forkID] == nil else { return refuse(.idInUse(forkID.rawValue)) }
        guard messageIDs.count == copied.count, Set(messageIDs).count == copied.count else {
            return refuse(.idInUse(messageIDs.first?.rawValue ?? forkID.rawValue))
        }
        if let taken = messageIDs.first(where: { owners[$0] != nil }) { return refuse(.idInUse(taken.rawValue)) }
        var conversation = original
        conversation.id = forkID
        conversation.createdAt = now
        conversation.updatedAt = now
        conversations[forkID] = conversation
        transcripts[forkID] = zip(copied, messageIDs).enumerated().map { place, pair in
            var copy = pair.0
            copy.id = pair.1
            copy.conversationID = forkID
            copy.parentID = place == 0 ? nil : messageIDs[place - 1]
            copy.chosenAt = nil
            return Self.written(copy)
        }
        for copy in transcripts[forkID]! { owners[copy.id] = forkID }
        generations[forkID] = 0
        unsaved.insert(forkID)
        place(forkID)
        select(forkID)
        return saves(in: forkID)
    }
}
