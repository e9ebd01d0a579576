import ParleyCore

extension AppState {
    /// The one place the app's state changes. `now` is when the event arrived; `layout` measures
    /// messages for scrolling (the same cache the views draw from).
    public mutating func reduce(_ event: AppEvent, now: Timestamp, layout: TranscriptLayout) -> [AppEffect] {
        self.now = now
        switch event {
        case .key(let key):
            if hintExpiry == nil, interruptPressedAt == nil { hint = nil }
            return handle(key, layout: layout)
        case .pasted(let text):
            return paste(text)
        case .mouse(let event):
            return mouse(event, layout: layout)
        case .resized(let size):
            self.size = size
            keepSidebarCursorVisible()
            return []
        case .laidOut(let moves):
            for move in moves { keepPlace(move, layout: layout) }
            return []
        case .ticked:
            spinner &+= 1
            if let pressed = interruptPressedAt, pressed.adding(Self.interruptWindow) <= now {
                interruptPressedAt = nil
                hint = nil
            }
            if let until = hintExpiry, until <= now {
                hint = nil
                hintExpiry = nil
            }
            if let until = noticeExpiry, until <= now {
                noticeExpiry = nil
                return chat(.noticeDismissed) + chat(.checkpointTicked(now: now))
            }
            return chat(.checkpointTicked(now: now))
        case .chat(let action):
            let effects = chat(action)
            if case .listLoaded = action, sidebarCursor == nil { sidebarCursor = chat.order.first }
            // Another Parley deleted the conversation under the cursor.
            if let cursor = sidebarCursor, chat.conversations[cursor] == nil {
                sidebarCursor = chat.selectedConversationID ?? chat.order.first
                resetTranscriptView()
            }
            if case .transcriptLoaded = action { lookIfWaiting(layout: layout) }
            return effects
        case .copyFailed(let reason):
            show("Not copied: \(reason)")
            return []
        case .searchFinished(let query, let results):
            if case .searching(let editor, _, _) = mode, editor.text == query {
                mode = .searching(editor, results: results, cursor: 0)
            }
            return []
        case .searchFailed(let query, let reason):
            if case .searching(let editor, _, _) = mode, editor.text == query {
                mode = .searching(editor, results: [], cursor: 0)
                show("Search failed: \(reason)")
            }
            return []
        case .modelsListed(let provider, let models):
            modelsListed(provider, .listed(models))
            return []
        case .modelsListingFailed(let provider, let reason):
            modelsListed(provider, .failed(reason))
            return []
        case .localServerFound(let provider, let models):
            localServerFound(provider, models: models)
            return []
        case .composed(let text):
            guard text.count <= InputEditor.capacity else {
                show("Not taken: a message holds at most \(Figures.grouped(InputEditor.capacity)) characters.")
                return []
            }
            editor.replace(with: text)
            focus = .input
            return []
        case .handOverFailed(let reason):
            hint = ControlPicture.safe(reason)
            hintExpiry = nil
            return []
        case .contextWindowLearned(let model, let window):
            contextWindows[model] = .some(window)
            return []
        case .terminationRequested:
            return quit()
        case .attached(let attachment):
            attached(attachment)
            return []
        case .attachingFailed(let reason):
            // Said until the next key: a file that was not attached must not go unnoticed.
            hint = ControlPicture.safe(reason)
            hintExpiry = nil
            return []
        case .pathsCompleted(let prefix, let paths):
            pathsCompleted(prefix: prefix, paths: paths)
            return []
        case .pastedFileFound(let path, let pasted):
            pastedFileFound(path: path, pasted: pasted)
            return []
        }
    }

    /// How long a second Ctrl-C quits, how long a hint stays, and a notice that does not last.
    static let interruptWindow: Duration = .seconds(2)
    static let hintDuration: Duration = .seconds(3)
    static let noticeDuration: Duration = .seconds(8)

    /// Applies a chat state action and hands its effects on. A new notice replaces any hint, and
    /// goes after a while unless it is one that lasts.
    mutating func chat(_ action: ChatAction) -> [AppEffect] {
        let before = chat.notice
        let selected = chat.selectedConversationID
        let ending: (ConversationID, failed: Bool)? =
            switch action {
            case .streamFinished(let id, _, _): chat.sessions[id].map { ($0.conversationID, false) }
            case .streamFailed(let id, _, _, _): chat.sessions[id].map { ($0.conversationID, true) }
            default: nil
            }
        var effects = chat.reduce(action).map(AppEffect.chat)
        // A round whose calls all have results goes on: the next one needs ids, made here.
        for id in chat.answerableToolRounds {
            let results = chat.toolLoops[id]?.results ?? []
            effects += chat.reduce(
                .toolRoundAnswered(
                    id, results: results, resultsMessageID: ids.next(), replyMessageID: ids.next(),
                    sessionID: ids.next(), request: nil, now: now)
            ).map(AppEffect.chat)
        }
        if chat.selectedConversationID != selected { swapDraft(from: selected, to: chat.selectedConversationID) }
        effects += learnContextWindow()
        if let (id, failed) = ending { effects += notifyEnded(id, failed: failed) }
        if case .transcriptLoaded(let id, _) = action { effects += revealLoaded(id) }
        switch action {
        case .batchArrived, .checkpointTicked: break
        default: countConversationTotals()
        }
        if let notice = chat.notice, notice != before {
            noticeExpiry = notice.lasts ? nil : now.adding(Self.noticeDuration)
        } else if chat.notice == nil {
            noticeExpiry = nil
        }
        return effects
    }

    /// A reply that ended out of sight (another conversation, and no round of it still to come)
    /// is told as the config asks.
    private func notifyEnded(_ id: ConversationID, failed: Bool) -> [AppEffect] {
        guard defaults.notify != .off, id != chat.selectedConversationID, !chat.hasLiveReply(id),
            let title = chat.conversations[id]?.title
        else { return [] }
        return [.notify(defaults.notify, title: "Parley", body: (failed ? "Failed: " : "Replied: ") + title)]
    }

    /// Each conversation keeps its own draft: what was being typed stays with the conversation it
    /// was typed in. Text typed with none open goes to the one that opens.
    private mutating func swapDraft(from old: ConversationID?, to new: ConversationID?) {
        guard let old else { return }
        if editing == nil, !editor.isEmpty, chat.conversations[old] != nil { drafts[old] = editor.text }
        if !pendingAttachments.isEmpty, chat.conversations[old] != nil { draftAttachments[old] = pendingAttachments }
        editing = nil
        editor.replace(with: new.flatMap { drafts.removeValue(forKey: $0) } ?? "")
        pendingAttachments = new.flatMap { draftAttachments.removeValue(forKey: $0) } ?? []
    }

    mutating func show(_ text: String) {
        hint = text
        hintExpiry = now.adding(Self.hintDuration)
    }

    mutating func paste(_ text: String) -> [AppEffect] {
        var pasted = true
        defer {
            if !pasted {
                show("Not pasted: a message holds at most \(Figures.grouped(InputEditor.capacity)) characters.")
            }
        }
        switch mode {
        case .renaming(let id, var editor):
            pasted = editor.insert(text.replacing("\n", with: " "))
            mode = .renaming(id, editor)
            return []
        case .searching(var editor, let results, let cursor):
            pasted = editor.insert(text.replacing("\n", with: " "))
            mode = .searching(editor, results: results, cursor: cursor)
            return editor.isEmpty || !pasted ? [] : [.search(editor.text)]
        case .picking(let picker):
            pasted = paste(text, into: picker)
            return []
        case .attaching(var editor, _):
            pasted = editor.insert(text.replacing("\n", with: " "))
            mode = .attaching(editor, choices: [])
            return []
        case .finding(var find):
            pasted = find.editor.insert(text.replacing("\n", with: " "))
            mode = .finding(find)
            return []
        case .help, .confirmingDelete, .confirmingBranchDelete, .copying:
            return []
        case .offeringAttachment:
            mode = .normal
            return paste(text)
        case .normal:
            focus = .input
            pasted = editor.insert(text)
            return pasted ? Self.pastedPath(text).map { [.checkPastedPath($0, pasted: text)] } ?? [] : []
        }
    }

    /// The user asked to quit: at once, unless something would be lost or cut short (an unsent
    /// draft, a reply still streaming), which is said first; asking again right away quits.
    mutating func quitAsked() -> [AppEffect] {
        var losing: [String] = []
        let streaming = chat.sessions.count + chat.toolLoops.values.count { !$0.calls.isEmpty }
        if streaming > 0 {
            losing.append(streaming == 1 ? "a reply is still streaming" : "\(streaming) replies are still streaming")
        }
        let unsent =
            Set(drafts.filter { !$0.value.isEmpty }.keys).union(draftAttachments.keys).count
            + (editor.isEmpty && pendingAttachments.isEmpty || editing != nil ? 0 : 1)
        if unsent > 0 { losing.append(unsent == 1 ? "a message is not sent" : "\(unsent) messages are not sent") }
        if losing.isEmpty { return quit() }
        if let asked = quitAskedAt, now < asked.adding(Self.interruptWindow) { return quit() }
        quitAskedAt = now
        let again = bindings.label(.quit) ?? "it"
        let said = losing.joined(separator: " and ")
        show(said.prefix(1).uppercased() + said.dropFirst() + ": press \(again) again to quit all the same.")
        return []
    }

    mutating func quit() -> [AppEffect] {
        isQuitting = true
        let live = chat.sessions.keys.sorted()
        let usingTools = chat.toolLoops.keys.sorted()
        return live.flatMap { chat(.sessionCancelRequested($0)) } + usingTools.flatMap { chat(.cancelRequested($0)) }
            + [.quit]
    }
}
