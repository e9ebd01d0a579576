import ParleyCore

/// What the app asks its runtime to do; the runtime reports outcomes back as events.
public enum AppEffect: Equatable, Sendable {
    case chat(ChatEffect)
    case loadTranscript(ConversationID)
    case search(String)
    /// Ask a provider for its models (the model picker opened); answered by `modelsListed` or
    /// `modelsListingFailed`.
    case listModels(provider: String)
    /// Learn a model's context window from its provider: `contextWindowLearned` comes back.
    case learnContextWindow(ModelAddress)
    /// Put text on the clipboard the way `Clipboard` says; a command that fails sends `copyFailed`.
    case copy(String, via: Clipboard)
    /// The thinking pane's choice, to keep in the config file.
    case rememberThinkingPane(Bool)
    /// Read the file at `path` (a leading `~/` is the home folder) as an attachment: `attached` or
    /// `attachingFailed` comes back.
    case readAttachment(path: String)
    /// List the files and folders whose paths begin with this: `pathsCompleted` comes back.
    case completePath(String)
    /// Pasted text that may be a file's path: `pastedFileFound` comes back when it is one.
    case checkPastedPath(String, pasted: String)
    /// The clipboard's image, through `wl-paste` or `xclip`: `attached` or `attachingFailed`.
    case pasteClipboardImage
    /// Show a saved attachment with the system's opener (images, PDFs).
    case openAttachment(Attachment)
    /// Open the message being written in `$VISUAL`/`$EDITOR`: `composed` or `handOverFailed` comes back.
    case composeInEditor(String)
    /// Show the open conversation in `$PAGER`, the screen restored afterwards.
    case pageConversation
    /// Tell the user a reply out of sight ended: the bell, or a terminal notification.
    case notify(Notify, title: String, body: String)
    /// Ctrl-L: repaint the whole terminal.
    case redraw
    case quit
}
