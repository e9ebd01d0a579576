extension ChatState {
    mutating func load(_ loadedConversations: [Conversation], _ messages: [Message]) {
        // Anything already in the state was made during start-up and is newer than the disk.
        for conversation in loadedConversations where conversations[conversation.id] == nil {
            conversations[conversation.id] = conversation
            transcripts[conversation.id] = []
            generations[conversation.id] = 0
            order.append(conversation.id)
        }
        let fresh = Set(loadedConversations.map(\.id))
        var orphans = 0
        var trees: [ConversationID: [Message]] = [:]
        for message in messages {
            guard conversations[message.conversationID] != nil else {
                orphans += 1
                continue
            }
            guard fresh.contains(message.conversationID), owners[message.id] == nil else { continue }
            trees[message.conversationID, default: []].append(message)
        }
        for (id, tree) in trees { plant(tree, in: id) }
        if orphans > 0 { notice = .orphanMessagesDropped(count: orphans) }
        let all = conversations
        order.sort { Self.precedes($0, $1, in: all) }
    }

    mutating func loadTranscript(_ id: ConversationID, _ messages: [Message]) {
        guard unloadedTranscripts.removeValue(forKey: id) != nil, conversations[id] != nil else { return }
        plant(messages.filter { $0.conversationID == id && owners[$0.id] == nil }, in: id)
    }

    /// A conversation's messages read from the database: its current path and other branches.
    private mutating func plant(_ tree: [Message], in id: ConversationID) {
        let (path, others) = ConversationTree.split(
            tree.map { message in
                var message = message
                switch message.status {
                // Nothing streams before start-up: a live reply on disk is one a stopped run left
                // behind (the database marks them when it opens; this covers one found later).
                case .pending, .streaming: message.status = .interrupted
                // A user message that made it to disk was sent.
                case .sending: message.status = .sent
                default: break
                }
                owners[message.id] = id
                return message
            })
        transcripts[id, default: []] += path
        otherBranches[id, default: []] += others
    }

    /// Whether the conversation's messages are in the state (they are read when it is opened).
    public func hasTranscript(_ id: ConversationID) -> Bool {
        conversations[id] != nil && unloadedTranscripts[id] == nil
    }

    /// Made in memory only: nothing is written until something is sent in it.
    mutating func createConversation(
        _ id: ConversationID, provider: String, model: String, systemPrompt: String?, baseURL: String?,
        reasoning: Reasoning, now: Timestamp
    ) -> [ChatEffect] {
        guard conversations[id] == nil else { return refuse(.idInUse(id.rawValue)) }
        conversations[id] = Conversation(
            id: id, createdAt: now, provider: provider, model: model, systemPrompt: systemPrompt, baseURL: baseURL,
            reasoning: reasoning)
        transcripts[id] = []
        generations[id] = 0
        unsaved.insert(id)
        place(id)
        select(id)
        return []
    }

    mutating func rename(_ id: ConversationID, to title: String) -> [ChatEffect] {
        guard conversations[id] != nil else { return refuse(.unknownConversation(id)) }
        let trimmed = title.trimmed
        guard !trimmed.isEmpty else { return refuse(.emptyTitle) }
        conversations[id]!.title = trimmed
        return saves(in: id, row: true)
    }

    /// Changes where the conversation's next replies come from. Choosing is not activity: the
    /// conversation keeps its place in the list. Choosing what it already has changes nothing.
    mutating func choose(provider: String, model: String, baseURL: String?, for id: ConversationID) -> [ChatEffect] {
        guard var conversation = conversations[id] else { return refuse(.unknownConversation(id)) }
        guard !provider.allSatisfy(\.isWhitespace), !model.allSatisfy(\.isWhitespace) else {
            return refuse(.emptyModel)
        }
        if conversation.provider != provider || baseURL != nil { conversation.baseURL = baseURL }
        conversation.provider = provider
        conversation.model = model
        guard conversation != conversations[id] else { return [] }
        conversations[id] = conversation
        return saves(in: id, row: true)
    }

    mutating func choose(systemPrompt: String?, for id: ConversationID) -> [ChatEffect] {
        guard let conversation = conversations[id] else { return refuse(.unknownConversation(id)) }
        let prompt = systemPrompt.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        guard conversation.systemPrompt != prompt else { return [] }
        conversations[id]!.systemPrompt = prompt
        return saves(in: id, row: true)
    }

    mutating func choose(reasoning: Reasoning, for id: ConversationID) -> [ChatEffect] {
        guard let conversation = conversations[id] else { return refuse(.unknownConversation(id)) }
        guard conversation.reasoning != reasoning else { return [] }
        conversations[id]!.reasoning = reasoning
        return saves(in: id, row: true)
    }

    mutating func delete(_ id: ConversationID) -> [ChatEffect] {
        guard conversations[id] != nil else { return refuse(.unknownConversation(id)) }
        // A conversation with no row has nothing to delete on disk.
        let hasRow = !unsaved.contains(id)
        return remove(id) + (hasRow ? [.deleteConversation(id)] : [])
    }

    /// Another Parley deleted it: the delete wins. Its streams are cancelled (their replies could
    /// not be saved), it leaves the list, and the user is told. A conversation whose first save
    /// failed has no row to find: that is no deletion, and its next save creates it.
    mutating func deletedElsewhere(_ id: ConversationID) -> [ChatEffect] {
        guard let conversation = conversations[id], !unsaved.contains(id) else { return [] }
        notice = .deletedElsewhere(title: conversation.title)
        return remove(id)
    }

    /// Forgets the conversation and stops its streams.
    private mutating func remove(_ id: ConversationID) -> [ChatEffect] {
        var effects: [ChatEffect] = []
        // Its streams stay listed until the runtime reports their end, which then changes nothing.
        for sessionID in sessions.keys.sorted() where sessions[sessionID]!.conversationID == id {
            if !sessions[sessionID]!.cancelRequested {
                sessions[sessionID]!.cancelRequested = true
                effects.append(.cancelStream(sessionID))
            }
        }
        effects += cancelTools(in: id)
        toolLoops[id] = nil
        toolConsents[id] = nil
        comparisons[id] = nil
        let position = order.firstIndex(of: id)!
        order.remove(at: position)
        for message in (transcripts[id] ?? []) + (otherBranches[id] ?? []) {
            owners[message.id] = nil
            saveFailures[message.id] = nil
        }
        conversations[id] = nil
        otherBranches[id] = nil
        unloadedTranscripts[id] = nil
        transcripts[id] = nil
        generations[id] = nil
        unsaved.remove(id)
        unread.remove(id)
        if selectedConversationID == id {
            // The neighbour that moved into its row, else the one above: the cursor stays put.
            selectedConversationID = order.isEmpty ? nil : order[min(position, order.count - 1)]
            if let next = selectedConversationID { unread.remove(next) }
        }
        return effects
    }

    mutating func select(_ id: ConversationID?) {
        if let id, conversations[id] == nil {
            notice = .unknownConversation(id)
            return
        }
        selectedConversationID = id
        if let id { unread.remove(id) }
    }

    /// Records activity: `updatedAt` moves forward and the conversation takes its place in the list.
    mutating func touch(_ id: ConversationID, now: Timestamp) {
        order.remove(at: order.firstIndex(of: id)!)
        conversations[id]!.updatedAt = max(conversations[id]!.updatedAt, now)
        place(id)
    }

    /// Inserts `id` where it belongs in `order` (newest first, ties by id) with a binary search.
    mutating func place(_ id: ConversationID) {
        var low = 0
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if Self.precedes(order[middle], id, in: conversations) { low = middle + 1 } else { high = middle }
        }
        order.insert(id, at: low)
    }

    static func precedes(
        _ a: ConversationID, _ b: ConversationID, in conversations: [ConversationID: Conversation]
    ) -> Bool {
        let first = conversations[a]!.updatedAt
        let second = conversations[b]!.updatedAt
        return first != second ? first > second : a < b
    }

    mutating func confirmSaved(_ id: MessageID) {
        saveFailures[id] = nil
        guard let conversationID = owners[id] else { return }
        change(id, in: conversationID) { if $0.status == .sending { $0.status = .sent } }
    }

    /// The message keeps how it ended: a user message that went out with its request was sent, a
    /// reply that streamed whole is complete. The failed save is a notice of its own.
    mutating func recordSaveFailure(_ id: MessageID, reason: String) {
        // A result for a message deleted since is stale: its conversation is gone on purpose.
        guard let conversationID = owners[id] else { return }
        saveFailures[id] = reason
        notice = .saveFailed(reason: reason)
        change(id, in: conversationID) { if $0.status == .sending { $0.status = .sent } }
    }

    /// Nothing of the conversation was written: it has no row again, and its messages no save.
    mutating func recordCreationFailure(_ id: ConversationID, reason: String) {
        guard conversations[id] != nil else { return }
        unsaved.insert(id)
        for message in transcripts[id] ?? [] { recordSaveFailure(message.id, reason: reason) }
        notice = .saveFailed(reason: reason)
    }
}
