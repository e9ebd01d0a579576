/// Where each part of the screen goes at a size, as PRODUCT.md §1 sketches it: the sidebar on
/// the left, the conversation's box on the right (transcript, thinking pane, input), the status
/// bar at the bottom. On narrow screens the sidebar collapses first (it overlays the
/// conversation while it has focus), on short ones the thinking pane.
public struct ScreenLayout: Equatable {
    public static let minimumSize = Size(width: 20, height: 6)

    public let size: Size
    public let tooSmall: Bool
    /// The sidebar's box, if shown.
    public let sidebar: Rect?
    /// Whether the sidebar is drawn over the conversation (narrow screens, sidebar focused).
    public let sidebarOverlays: Bool
    /// The conversation's box, borders included.
    public let main: Rect
    public let transcript: Rect
    public let thinking: Rect?
    public let input: Rect
    public let status: Rect

    /// `thinkingLines` is what the thinking pane has to show (nil: no pane): the pane is that tall,
    /// within a third of the room, and at least a line, so it stays put while its content changes.
    public init(size: Size, sidebarFocused: Bool, thinkingLines: Int?, inputLines: Int) {
        self.size = size
        tooSmall = size.width < Self.minimumSize.width || size.height < Self.minimumSize.height
        let boxHeight = max(0, size.height - 1)
        status = Rect(x: 0, y: boxHeight, width: size.width, height: 1)
        if size.width >= 60 {
            let width = min(32, max(22, size.width / 4))
            sidebar = Rect(x: 0, y: 0, width: width, height: boxHeight)
            sidebarOverlays = false
        } else if sidebarFocused {
            sidebar = Rect(x: 0, y: 0, width: size.width, height: boxHeight)
            sidebarOverlays = true
        } else {
            sidebar = nil
            sidebarOverlays = false
        }
        let mainX = sidebarOverlays ? 0 : sidebar?.maxX ?? 0
        main = Rect(x: mainX, y: 0, width: size.width - mainX, height: boxHeight)
        let innerX = main.x + 1
        let innerWidth = max(0, main.width - 2)
        let inner = boxHeight - 2
        let inputHeight = max(1, min(inputLines, max(1, min(8, boxHeight / 4))))
        // What is left for the transcript and thinking after the input and its separator.
        let shared = inner - inputHeight - 1
        var thinkingHeight = 0
        if let thinkingLines, boxHeight >= 14 {
            thinkingHeight = max(1, min(thinkingLines, min(10, max(2, (shared - 1) / 3))))
        }
        let transcriptHeight = max(0, shared - (thinkingHeight > 0 ? thinkingHeight + 1 : 0))
        transcript = Rect(x: innerX, y: 1, width: innerWidth, height: transcriptHeight)
        thinking =
            thinkingHeight > 0
            ? Rect(x: innerX, y: transcript.maxY + 1, width: innerWidth, height: thinkingHeight) : nil
        let inputY = (thinking?.maxY ?? transcript.maxY) + 1
        input = Rect(x: innerX, y: inputY, width: innerWidth, height: inputHeight)
    }

    /// The pane at a cell (where the mouse is): the sidebar's whole box (drawn over the rest when
    /// it overlays), else the transcript, the thinking pane or the input; nil on the conversation's
    /// borders and the status bar.
    func pane(at position: Frame.Position) -> AppState.Focus? {
        if let sidebar, sidebar.contains(position) { return .sidebar }
        if transcript.contains(position) { return .transcript }
        if let thinking, thinking.contains(position) { return .thinking }
        if input.contains(position) { return .input }
        return nil
    }

    /// The width transcript text is wrapped to: the pane less a column of margin each side.
    static func textWidth(of transcript: Rect) -> Int { max(1, transcript.width - 2) }
}
