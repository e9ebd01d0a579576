import ParleyCore

/// Everything that reaches the app, as one kind of value: keys, the terminal, ticks, and the
/// results of effects (stream updates and database answers, already in the chat state's terms).
public enum AppEvent: Equatable, Sendable {
    case key(Key)
    /// Bracketed paste: the text arrives whole, newlines kept, never taken for commands.
    case pasted(String)
    /// A click or the wheel, reported only while `[app] mouse` is on.
    case mouse(MouseEvent)
    case resized(Size)
    /// A long text's lines above what was shown first have been counted (between frames).
    case laidOut([MovedLines])
    /// The periodic tick while something moves (a spinner, a live reply's checkpoints).
    case ticked
    case chat(ChatAction)
    case searchFinished(query: String, results: [SearchResult])
    case searchFailed(query: String, reason: String)
    /// A provider's models, asked for by `listModels`.
    case modelsListed(provider: String, models: [String])
    case modelsListingFailed(provider: String, reason: String)
    /// A local server answered at start-up, with the models it lists.
    case localServerFound(ModelChoices.Provider, models: [String])
    /// A model's context window, asked for by `learnContextWindow` (nil: it could not be learnt).
    case contextWindowLearned(ModelAddress, ContextWindow?)
    /// What was saved in the editor the message was opened in (`composeInEditor`).
    case composed(String)
    /// The editor or pager could not be used, or failed: why, for the status bar.
    case handOverFailed(String)
    /// SIGTERM or SIGHUP: stop the replies, keep what arrived, leave.
    case terminationRequested
    /// A file read for the message being written (`readAttachment`, or the clipboard's image).
    case attached(Attachment)
    /// A file could not be attached or opened: why, for the status bar.
    case attachingFailed(String)
    /// What `completePath` found: the paths beginning with `prefix` (a folder's ends with "/").
    case pathsCompleted(prefix: String, paths: [String])
    /// The clipboard command did not take the copy: why, for the status bar.
    case copyFailed(String)
    /// Pasted text (`pasted`) names a file that exists (`path`): attaching it is offered.
    case pastedFileFound(path: String, pasted: String)
}
