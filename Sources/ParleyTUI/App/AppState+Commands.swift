import ParleyCore

extension AppState {
    mutating func run(_ command: Command, layout: TranscriptLayout) -> [AppEffect] {
        switch command {
        case .quit:
            return quitAsked()
        case .interrupt:
            // A Ctrl-C that stops a reply is only that: quitting is armed by one with nothing to stop.
            if replyGoesOn {
                interruptPressedAt = nil
                show("Stopped; what arrived is kept.")
                return cancelLiveReply()
            }
            if let pressed = interruptPressedAt, now < pressed.adding(Self.interruptWindow) { return quitAsked() }
            interruptPressedAt = now
            let quitKey = bindings.label(.quit).map { " (or \($0))" } ?? ""
            hint = "Press \(bindings.label(.interrupt) ?? "it") again to quit\(quitKey)."
        case .help:
            mode = .help(top: 0)
        case .redraw:
            return [.redraw]
        case .newConversation:
            return newConversation()
        case .renameConversation:
            guard let id = targetConversation else { return [] }
            mode = .renaming(id, InputEditor(chat.conversations[id]?.title ?? ""))
        case .deleteConversation:
            guard let id = targetConversation else { return [] }
            mode = .confirmingDelete(id)
        case .search:
            mode = .searching(InputEditor(), results: nil, cursor: 0)
        case .toggleThinking:
            showThinking.toggle()
            thinkingTop = nil
            return [.rememberThinkingPane(showThinking)]
        case .cancelReply:
            if editing != nil {
                editing = nil
                editor.replace(with: "")
                show("Edit abandoned.")
                return []
            }
            if replyGoesOn { return cancelLiveReply() }
            if chat.notice != nil { return chat(.noticeDismissed) }
            if comparingHere != nil {
                comparing = nil
                show("Back to one model: the next message goes to this conversation's own.")
                return []
            }
            focus = .input
        case .regenerate:
            guard let id = chat.selectedConversationID,
                chat.transcripts[id]?.last(where: { $0.role == .assistant }) != nil
            else {
                show("Nothing to regenerate yet.")
                return []
            }
            resetTranscriptView()
            return chat(.regenerateRequested(id, replyMessageID: ids.next(), sessionID: ids.next(), now: now))
        case .compact:
            return compact()
        case .composeInEditor:
            return [.composeInEditor(editor.text)]
        case .pager:
            guard !chat.selectedTranscript.isEmpty else {
                show("Nothing to read yet.")
                return []
            }
            return [.pageConversation]
        case .edit:
            // The message chosen in the transcript when it is one of the user's, else the last of them.
            let transcript = chat.selectedTranscript
            let last = transcript.last { $0.role == .user }
            let chosen = messageCursor.flatMap { transcript.indices.contains($0) ? transcript[$0] : nil }
            guard let id = chat.selectedConversationID, let message = chosen?.role == .user ? chosen : last else {
                show("No message to edit yet.")
                return []
            }
            editing = Editing(conversation: id, message: message.id)
            editor.replace(with: message.text)
            focus = .input
            show(
                "Editing your \(editsLastMessage ? "last" : "earlier") message: \(bindings.label(.send) ?? "send") sends it "
                    + "as a new branch (\(bindings.label(.composeInEditor) ?? "edit-in-editor") opens it in your editor), "
                    + "\(bindings.label(.cancelReply) ?? "cancel") abandons the edit.")
        case .copy:
            return copy((focusedMessage ?? chat.selectedTranscript.last)?.text ?? "")
        case .copyMode:
            return enterCopyMode(layout: layout)
        case .find:
            startFinding()
        case .focusNext, .focusPrevious:
            moveFocus(forward: command == .focusNext)
        case .send:
            return send()
        case .newline:
            editor.insert("\n")
        case .moveUp, .moveDown:
            move(by: command == .moveUp ? -1 : 1, layout: layout)
        case .open:
            if focus == .sidebar, let id = sidebarCursor { return openFromSidebar(id) }
            // Comparing, the thinking pane shows the highlighted column's reasoning: Enter there
            // unfolds it in its column too.
            let onReply = focus == .transcript || focus == .thinking && shownComparison != nil
            if onReply, let message = focusedMessage, message.canUnfold {
                // Folds or unfolds the reply's reasoning in place, under its "▸ Thought for …" line,
                // and its tool calls' arguments or a tool message's output in full.
                if unfolded.remove(message.id) == nil { unfolded.insert(message.id) }
            }
        case .pageUp, .pageDown:
            if shownComparison != nil, focus != .sidebar, focus != .thinking {
                scrollColumns(by: nil, up: command == .pageUp, layout: layout)
            } else {
                page(up: command == .pageUp, layout: layout)
            }
        case .top, .bottom:
            jump(toTop: command == .top, layout: layout)
        case .previousBranch, .nextBranch:
            return showBranch(step: command == .previousBranch ? -1 : 1)
        case .pickReply:
            return pickColumn()
        case .stopColumn:
            return stopColumn()
        case .fork:
            return fork()
        case .deleteBranch:
            return askToDeleteBranch()
        case .pickModel:
            return openPicker(.model)
        case .pickPreset:
            return openPicker(.preset)
        case .reasoning:
            return cycleReasoning()
        case .attach:
            return startAttaching()
        case .pasteImage:
            return [.pasteClipboardImage]
        case .openFiles:
            return openFiles()
        }
        return []
    }

    /// The next reasoning setting in turn (a budget from the config or a flag goes to auto), for
    /// the open conversation, or for new ones when none is open.
    private mutating func cycleReasoning() -> [AppEffect] {
        let id = chat.selectedConversationID.flatMap { chat.conversations[$0] != nil ? $0 : nil }
        let current = id.flatMap { chat.conversations[$0]?.reasoning } ?? defaults.reasoning
        return choose(Self.reasoning(after: current), for: id)
    }

    /// Sets the reasoning of conversation `id`, or with none of new ones, and says what it means.
    mutating func choose(_ reasoning: Reasoning, for id: ConversationID?) -> [AppEffect] {
        let spoken = Self.spoken(reasoning)
        guard let id, chat.conversations[id] != nil else {
            defaults.reasoning = reasoning
            show("New conversations: reasoning \(spoken).")
            return []
        }
        let effects = chat(.reasoningChosen(id, reasoning))
        show("Reasoning here: \(spoken).")
        return effects
    }

    /// The settings Ctrl-G and the model picker's Tab go through, in turn (a budget from the config
    /// or a flag goes on to auto).
    static func reasoning(after current: Reasoning, backwards: Bool = false) -> Reasoning {
        let order: [Reasoning] = [.standard, .off, .effort(.low), .effort(.medium), .effort(.high)]
        let index = order.firstIndex(of: current) ?? (backwards ? 0 : -1)
        return order[(index + (backwards ? order.count - 1 : 1)) % order.count]
    }

    /// What a setting means, as the status line says it.
    static func spoken(_ reasoning: Reasoning) -> String {
        switch reasoning {
        case .standard: "auto (the thoughts of models that reason anyway; nothing billed on top)"
        case .off: "off (as little as the model allows)"
        case .effort, .budget: "\(reasoning.name) (may be billed on top, as Anthropic's extended thinking is)"
        }
    }

    /// The conversation a rename or delete is about: the sidebar's cursor when it has focus.
    private var targetConversation: ConversationID? {
        focus == .sidebar ? sidebarCursor : chat.selectedConversationID ?? sidebarCursor
    }

    private mutating func cancelLiveReply() -> [AppEffect] {
        guard let id = chat.selectedConversationID, replyGoesOn else { return [] }
        return chat(.cancelRequested(id))
    }

    mutating func newConversation() -> [AppEffect] {
        focus = .input
        defaults.followsDiscovery = false
        // An empty conversation already open is the new one.
        if let id = chat.selectedConversationID, chat.transcripts[id]?.isEmpty == true, chat.hasTranscript(id) {
            return []
        }
        let id: ConversationID = ids.next()
        let effects = chat(
            .newConversationRequested(
                id, provider: defaults.provider, model: defaults.model, systemPrompt: defaults.systemPrompt,
                baseURL: defaults.baseURLs[defaults.provider], reasoning: defaults.reasoning, now: now))
        sidebarCursor = id
        keepSidebarCursorVisible()
        resetTranscriptView()
        return effects
    }

    mutating func open(_ id: ConversationID) -> [AppEffect] {
        let effects = chat(.selected(id))
        sidebarCursor = id
        keepSidebarCursorVisible()
        resetTranscriptView()
        focus = .input
        return chat.hasTranscript(id) ? effects : effects + [.loadTranscript(id)]
    }

    /// Enter on the sidebar's row, or a click on it. Focus stays in the sidebar: letters typed next to
    /// go on browsing (j, k, Enter) must not land in the opened conversation's editor, where the next
    /// Enter would send them. A letter the sidebar does not use still starts a message there.
    mutating func openFromSidebar(_ id: ConversationID) -> [AppEffect] {
        let effects = open(id)
        focus = .sidebar
        if let key = bindings.label(.focusPrevious) { show("\(key) (or typing) writes a reply.") }
        return effects
    }

    private mutating func send() -> [AppEffect] {
        if let command = typedCommand(editor.text) { return command }
        guard !editor.text.allSatisfy(\.isWhitespace) || !pendingAttachments.isEmpty && editing == nil else {
            return []
        }
        if let warning = overflowWarning() {
            hint = warning
            hintExpiry = nil
            return []
        }
        overflowWarned = nil
        defaults.followsDiscovery = false
        var effects: [AppEffect] = []
        let wasNew = chat.selectedConversationID == nil
        if wasNew { effects += newConversation() }
        guard let id = chat.selectedConversationID else { return effects }
        let text = editor.text
        let replyID: MessageID = ids.next()
        let sessionID: SessionID = ids.next()
        let sent: [AppEffect]
        if editing == nil, let comparing, comparing.conversation == id || comparing.conversation == nil && wasNew {
            sent = sendCompared(text, to: comparing.models, in: id)
        } else if let editing, editing.conversation == id {
            sent = chat(
                .editAndResendRequested(
                    id, text: text, edited: editing.message, userMessageID: ids.next(), replyMessageID: replyID,
                    sessionID: sessionID, now: now))
        } else {
            sent = chat(
                .sendRequested(
                    id, text: text, attachments: pendingAttachments, userMessageID: ids.next(), replyMessageID: replyID,
                    sessionID: sessionID, now: now))
            // Sent or refused, the files stay with what was typed: both go, or both stay.
            if !sent.isEmpty { pendingAttachments = [] }
        }
        // A refused send keeps the text in the editor; the notice says why.
        guard !sent.isEmpty else { return effects }
        _ = editor.take()
        editing = nil
        sidebarCursor = id
        keepSidebarCursorVisible()
        resetTranscriptView()
        return effects + sent
    }

    /// Asks the model for a summary that replaces the conversation so far (`Compaction`).
    mutating func compact() -> [AppEffect] {
        guard let id = chat.selectedConversationID else {
            show("Nothing to compact yet.")
            return []
        }
        resetTranscriptView()
        return chat(
            .compactRequested(
                id, userMessageID: ids.next(), replyMessageID: ids.next(), sessionID: ids.next(), now: now))
    }

    private mutating func moveFocus(forward: Bool) {
        var order: [Focus] = [.sidebar, .transcript]
        if showsThinkingPane { order.append(.thinking) }
        order.append(.input)
        let index = order.firstIndex(of: focus) ?? order.count - 1
        moveFocus(to: order[(index + (forward ? 1 : order.count - 1)) % order.count])
    }

    /// Tab's turn, or a click: the transcript's cursor starts on the last message.
    mutating func moveFocus(to pane: Focus) {
        focus = pane
        switch focus {
        case .transcript: messageCursor = messageCursor ?? chat.selectedTranscript.indices.last
        case .thinking: break
        case .sidebar, .input: messageCursor = nil
        }
    }

    /// Back to the end of the conversation, following new text.
    mutating func resetTranscriptView() {
        transcriptScroll = .tail
        messageCursor = nil
        thinkingTop = nil
    }
}
