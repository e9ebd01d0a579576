import ParleyCore

/// Files for the next message: the path prompt (Ctrl-X, or `/attach PATH` typed as a message),
/// the chips above the editor, a pasted path offered as a file, the clipboard's image. Reading
/// and listing files are effects; what they find comes back as events.
extension AppState {
    /// The path prompt, with `path` typed in it already.
    mutating func startAttaching(_ path: String = "") -> [AppEffect] {
        mode = .attaching(InputEditor(path), choices: [])
        return []
    }

    /// A key in the path prompt: Enter reads the file, Tab completes the path, Esc closes.
    mutating func attachingKey(_ key: Key, editor: InputEditor) -> [AppEffect] {
        var editor = editor
        switch key {
        case .escape:
            mode = .normal
            return []
        case .enter:
            mode = .normal
            let path = editor.text.trimmed
            return path.isEmpty ? [] : [.readAttachment(path: path)]
        case .tab:
            mode = .attaching(editor, choices: [])
            return [.completePath(editor.text)]
        default:
            if edit(&editor, with: key) { mode = .attaching(editor, choices: []) }
            return []
        }
    }

    /// What the listing found for the prompt's text, if it is still what was typed: one path
    /// replaces it, several fill in what they share and are listed.
    mutating func pathsCompleted(prefix: String, paths: [String]) {
        guard case .attaching(let editor, _) = mode, editor.text == prefix else { return }
        guard let first = paths.first else {
            show("No file or folder starts with “\(ControlPicture.safe(prefix))”.")
            return
        }
        let shared = paths.dropFirst().reduce(first) { shared, path in
            String(zip(shared, path).prefix { $0 == $1 }.map(\.0))
        }
        let longer = shared.count > prefix.count ? shared : prefix
        mode = .attaching(InputEditor(longer), choices: paths.count == 1 ? [] : paths.map(\.lastPathPart))
    }

    /// A file was read: it joins the message's chips, unless the message would then be too large.
    mutating func attached(_ attachment: Attachment) {
        if pendingAttachments.contains(attachment) {
            show("\(ControlPicture.safe(attachment.name)) is attached already.")
            return
        }
        do throws(AttachmentProblem) {
            try Attachment.checkTogether(pendingAttachments + [attachment], limits: defaults.attachmentLimits)
        } catch {
            show("Not attached: \(ControlPicture.safe(error.description)).")
            return
        }
        pendingAttachments.append(attachment)
        focus = .input
        show("Attached \(ControlPicture.safe(attachment.label)). Backspace in an empty message removes the last file.")
    }

    /// `/attach PATH`, `/detach [N]` and `/compact` typed as the whole message: commands, not text
    /// for the model. Nil when the message is none of them.
    mutating func typedCommand(_ text: String) -> [AppEffect]? {
        let words = text.trimmed.split(separator: " ", maxSplits: 1).map(String.init)
        switch words.first {
        case "/compact" where words.count == 1:
            _ = editor.take()
            return compact()
        case "/attach":
            _ = editor.take()
            return words.count > 1 ? [.readAttachment(path: words[1].trimmed)] : startAttaching()
        case "/detach":
            _ = editor.take()
            guard words.count > 1 else {
                show(pendingAttachments.isEmpty ? "No files are attached." : "Removed every attached file.")
                pendingAttachments = []
                return []
            }
            guard let number = Int(words[1].trimmed), pendingAttachments.indices.contains(number - 1) else {
                show("/detach N: N is a file's number among the \(pendingAttachments.count) attached.")
                return []
            }
            let removed = pendingAttachments.remove(at: number - 1)
            show("Removed \(ControlPicture.safe(removed.name)).")
            return []
        default:
            return nil
        }
    }

    /// Backspace in an empty message takes back the last file attached.
    mutating func detachLast() -> Bool {
        guard editor.isEmpty, let removed = pendingAttachments.popLast() else { return false }
        show("Removed \(ControlPicture.safe(removed.name)).")
        return true
    }

    /// The focused message's files: its text files unfolded in place (or folded again), its images
    /// and PDFs handed to the system's viewer.
    mutating func openFiles() -> [AppEffect] {
        guard
            let message = focus == .transcript
                ? focusedMessage : chat.selectedTranscript.last(where: { !$0.attachments.isEmpty }),
            !message.attachments.isEmpty
        else {
            show("No files here: the transcript's cursor (Tab to it) picks a message with some.")
            return []
        }
        if message.attachments.contains(where: { $0.kind == .text }), unfolded.remove(message.id) == nil {
            unfolded.insert(message.id)
        }
        return message.attachments.filter { $0.kind != .text }.map(AppEffect.openAttachment)
    }

    /// A pasted line that names a file may be meant as that file: asked once it is known to exist.
    static func pastedPath(_ text: String) -> String? {
        var line = text.trimmed
        if line.hasPrefix("file://") { line = String(line.dropFirst(7)) }
        if line.count >= 2, line.first == line.last, line.first == "'" || line.first == "\"" {
            line = String(line.dropFirst().dropLast())
        }
        guard !line.contains("\n"), line.hasPrefix("/") || line.hasPrefix("~/") else { return nil }
        return line
    }

    /// A key while attaching a pasted path is offered: Enter attaches it (the path's text goes),
    /// anything else keeps it as text and does what it always does.
    mutating func offeredAttachmentKey(_ key: Key, path: String, pasted: String, layout: TranscriptLayout)
        -> [AppEffect]
    {
        mode = .normal
        guard key == .enter else { return handle(key, layout: layout) }
        if editor.text.hasSuffix(pasted) { editor.replace(with: String(editor.text.dropLast(pasted.count))) }
        return [.readAttachment(path: path)]
    }

    /// The pasted text named a file that exists: Enter attaches it.
    mutating func pastedFileFound(path: String, pasted: String) {
        guard mode == .normal, editor.text.hasSuffix(pasted) else { return }
        mode = .offeringAttachment(path: path, pasted: pasted)
    }
}

extension String {
    /// The last part of a path, a folder's with its "/".
    fileprivate var lastPathPart: String {
        let isFolder = hasSuffix("/")
        let parts = split(separator: "/")
        return (parts.last.map(String.init) ?? self) + (isFolder ? "/" : "")
    }
}
