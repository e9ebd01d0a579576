import ParleyCore

extension AppState {
    /// A key goes to the open prompt first, then to the global table, then to the editor or the
    /// focused pane.
    mutating func handle(_ key: Key, layout: TranscriptLayout) -> [AppEffect] {
        switch mode {
        case .help(let top):
            // ↑/↓, j/k and PgUp/PgDn scroll a list taller than the screen; any other key closes it.
            let page = max(1, size.height - 6)
            switch key {
            case .up, .character("k"): mode = .help(top: max(0, top - 1))
            case .down, .character("j"): mode = .help(top: top + 1)
            case .pageUp: mode = .help(top: max(0, top - page))
            case .pageDown, .character(" "): mode = .help(top: top + page)
            default: mode = .normal
            }
            return []
        case .renaming(let id, var editor):
            switch key {
            case .enter:
                mode = .normal
                return chat(.renameRequested(id, title: editor.text))
            case .escape:
                mode = .normal
            default:
                if edit(&editor, with: key) { mode = .renaming(id, editor) }
            }
            return []
        case .confirmingDelete(let id):
            mode = .normal
            guard key == .character("y") || key == .character("Y") || key == .enter else {
                show("Not deleted.")
                return []
            }
            let title = chat.conversations[id]?.title ?? ""
            let effects = chat(.deleteRequested(id))
            sidebarCursor = chat.selectedConversationID ?? chat.order.first
            resetTranscriptView()
            if chat.conversations[id] == nil { show("Deleted “\(title)”.") }
            return effects
        case .confirmingBranchDelete(let id, let messageID):
            mode = .normal
            return deleteBranch(
                messageID, in: id, confirmed: key == .character("y") || key == .character("Y") || key == .enter)
        case .searching(var editor, let results, var cursor):
            return search(key, editor: &editor, results: results, cursor: &cursor, layout: layout)
        case .picking(let picker):
            return pick(key, picker: picker)
        case .attaching(let editor, _):
            return attachingKey(key, editor: editor)
        case .offeringAttachment(let path, let pasted):
            return offeredAttachmentKey(key, path: path, pasted: pasted, layout: layout)
        case .copying(let selection):
            return copyModeKey(key, selection: selection, layout: layout)
        case .finding(let find):
            return findKey(key, find: find, layout: layout)
        case .normal:
            break
        }

        if let question = consentQuestion, let answer = consentAnswer(key, to: question) { return answer }
        if let command = bindings.global[key] { return run(command, layout: layout) }
        if focus == .input {
            if let command = bindings.editing[key] { return run(command, layout: layout) }
            return type(key)
        }
        if let command = bindings.navigation[key] { return run(command, layout: layout) }
        // Typing anywhere starts a message.
        if case .character = key {
            focus = .input
            return type(key)
        }
        return []
    }

    /// A call waiting for consent takes the plain keys: y runs it, a allows the tool for the
    /// conversation, n refuses it; other letters are not typed (a stray key must not answer or be
    /// lost in the message unseen). Keys with Ctrl, Esc among them, act as always.
    private mutating func consentAnswer(_ key: Key, to question: ToolCallRun) -> [AppEffect]? {
        guard let id = chat.selectedConversationID, case .character(let character) = key else { return nil }
        let answer: ToolConsent.Answer
        switch character {
        case "y", "Y": answer = .once
        case "a", "A": answer = .forConversation
        case "n", "N": answer = .refuse
        default:
            show(ConsentPrompt.keys(bindings))
            return []
        }
        return chat(.toolConsentAnswered(id, callID: question.call.id, answer, now: now))
    }

    private mutating func type(_ key: Key) -> [AppEffect] {
        switch key {
        case .backspace where detachLast(), .control("h") where detachLast():
            break
        case .end where editor.isAtLineEnd:
            // End with nowhere further to go in the line: follow the reply again, as End does elsewhere.
            resetTranscriptView()
        case .up:
            if !editor.moveUp() { _ = editor.historyBack() }
        case .down:
            if !editor.moveDown() { _ = editor.historyForward() }
        default:
            _ = edit(&editor, with: key)
        }
        return []
    }

    /// Readline editing shared by the message editor and the prompts. Returns whether the key was one.
    func edit(_ editor: inout InputEditor, with key: Key) -> Bool {
        switch key {
        case .character(let character): editor.insert(String(character))
        case .backspace, .control("h"): editor.backspace()
        case .delete, .control("d"): editor.deleteForward()
        case .left, .control("b"): editor.moveLeft()
        case .right: editor.moveRight()
        case .home, .control("a"): editor.moveToLineStart()
        case .end, .control("e"): editor.moveToLineEnd()
        case .control("k"): editor.killToLineEnd()
        case .control("u"): editor.killToLineStart()
        case .control("w"), .alt("\u{7F}"): editor.deleteWordBackward()
        case .alt("b"): editor.moveWordBackward()
        case .alt("f"): editor.moveWordForward()
        default: return false
        }
        return true
    }

    private mutating func search(
        _ key: Key, editor: inout InputEditor, results: [SearchResult]?, cursor: inout Int, layout: TranscriptLayout
    ) -> [AppEffect] {
        let count = results?.count ?? 0
        switch key {
        case .escape:
            mode = .normal
            return []
        case .up, .control("p"):
            cursor = max(0, cursor - 1)
        case .down, .control("n"):
            cursor = min(max(0, count - 1), cursor + 1)
        case .enter:
            guard let results, results.indices.contains(cursor) else { return [] }
            mode = .normal
            return openFound(results[cursor], query: editor.text, layout: layout)
        default:
            let before = editor.text
            guard edit(&editor, with: key) else { return [] }
            mode = .searching(editor, results: results, cursor: 0)
            guard editor.text != before else { return [] }
            if editor.text.allSatisfy(\.isWhitespace) {
                mode = .searching(editor, results: nil, cursor: 0)
                return []
            }
            return [.search(editor.text)]
        }
        mode = .searching(editor, results: results, cursor: cursor)
        return []
    }
}
