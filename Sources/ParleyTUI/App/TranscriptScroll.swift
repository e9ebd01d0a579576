/// Where the transcript is scrolled to.
public enum TranscriptScroll: Equatable, Sendable {
    /// Following the end: new text scrolls into view.
    case tail
    /// The view's top line is line `line` of message `message`; new text below does not move it.
    case anchored(message: Int, line: Int)
}
