import ParleyCore

/// What the app needs from the world, given by the `parley` executable: running effects (streams,
/// the database, search), the wall clock, and an optional frame trace.
public struct AppEnvironment: Sendable {
    /// Starts one effect without waiting for it; its outcome comes back through `AppRuntime.post`.
    public var perform: @Sendable (AppEffect) -> Void
    /// What the streams brought since the loop last asked (asked each turn, after a `wake()`).
    public var arrivals: @Sendable () -> [AppEvent]
    public var now: @Sendable () -> Timestamp
    /// Told about each frame drawn: when, how long it took, how many cells it wrote.
    public var traceFrame: (@Sendable (FrameRecord) -> Void)?
    public var theme: Theme
    /// The commands the message is edited in (`$VISUAL`, else `$EDITOR`, else vi) and the
    /// conversation paged with (`$PAGER`, else `less -R`); each is given a file's path.
    public var editor: String
    public var pager: String

    public init(
        perform: @escaping @Sendable (AppEffect) -> Void, arrivals: @escaping @Sendable () -> [AppEvent] = { [] },
        now: @escaping @Sendable () -> Timestamp,
        traceFrame: (@Sendable (FrameRecord) -> Void)? = nil, theme: Theme = .standard, editor: String = "vi",
        pager: String = "less -R"
    ) {
        self.editor = editor
        self.pager = pager
        self.perform = perform
        self.arrivals = arrivals
        self.now = now
        self.traceFrame = traceFrame
        self.theme = theme
    }
}

public struct FrameRecord: Equatable, Sendable {
    public var time: Timestamp
    public var duration: Duration
    public var cellsWritten: Int
}
