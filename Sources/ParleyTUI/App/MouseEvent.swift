/// What the mouse did and where, as the terminal reports it while `[app] mouse` is on. Only what
/// the app acts on is an event: a drag, a release or another button is read and dropped.
public struct MouseEvent: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        /// The left button pressed.
        case click
        /// The wheel turned a notch.
        case wheelUp, wheelDown
    }

    public var action: Action
    /// The cell under the pointer, counted from 0 as frames are.
    public var position: Frame.Position

    public init(_ action: Action, row: Int, column: Int) {
        self.action = action
        position = Frame.Position(row: row, column: column)
    }
}
